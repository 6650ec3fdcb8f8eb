"""Chinese and English texts of the reports and charts.

Templates name their values in braces (``{met} of {scored}``); :func:`fill` puts values,
marks or text runs into them and returns a text run (:data:`reports.model.Frag`).
"""

from __future__ import annotations

import re

from simulator.model import CHAPTERS, Lang

from .model import Frag, Piece

RATINGS: dict[str, tuple[str, str]] = {
    "P": ("无挑战地完成", "Performed without challenges"),
    "S": ("完成,存在一些挑战", "Performed with some challenges"),
    "M": ("完成,存在重大挑战", "Performed with major challenges"),
    "U": ("未能完成", "Unable to be performed"),
    "-": ("未评级(无计分职责)", "Not rated (no duty scored)"),
}

STATUSES: dict[str, tuple[str, str]] = {
    "met": ("按时", "met"),
    "late": ("逾期", "late"),
    "missed": ("未完成", "missed"),
    "cancelled": ("已取消", "cancelled"),
    "open": ("未到期", "open"),
}

_T: dict[str, tuple[str, str]] = {
    # report frame
    "title": ("演练评估报告与改进计划", "After-Action Report / Improvement Plan"),
    "subtitle": ("{scenario} · {plan} {version}", "{scenario} · {plan} {version}"),
    "kind.run": ("批量运行(自动响应)", "batch run (auto-responder)"),
    "kind.drill": ("演练", "drill session"),
    "sec.overview": ("一、演练概况", "1. Exercise overview"),
    "sec.objectives": ("二、演练目标与检验能力", "2. Objectives and capabilities tested"),
    "sec.analysis": ("三、能力分析", "3. Analysis of capabilities"),
    "sec.strengths": ("四、优势", "4. Strengths"),
    "sec.improvements": ("五、待改进事项", "5. Areas for improvement"),
    "sec.plan": ("六、改进计划", "6. Improvement plan"),
    "sec.app.duties": ("附录A 职责完成明细", "Appendix A. Obligations"),
    "sec.app.decisions": ("附录B 决策记录", "Appendix B. Decision log"),
    "sec.app.whatif": ("附录C 假设推演(同一随机种子)", "Appendix C. What-if runs on the same seed"),
    "sub.results": ("主要结果", "Key results"),
    "sub.msel": ("情景事件(MSEL)", "Scenario events (MSEL)"),
    "sub.stream": ("投诉、处理能力与舆情", "Complaints, capacity and opinion"),
    "sub.decisions": ("学员决策与自动响应对比", "Trainee decisions beside the auto-responder"),
    "sub.method": ("评级方法", "Rating method"),
    "sub.evaluation": ("评估员评级与观察", "Evaluator's ratings and observations"),
    "ev.intro": (
        "评估员在演练中按 HSEEP 对各项能力作出的评级(P/S/M/U)与观察记录,与依据职责计分得出的评级并列。",
        "The evaluator's HSEEP ratings (P/S/M/U) of the capabilities and the observations recorded during the drill, "
        "beside the ratings derived from the scored duties.",
    ),
    "ev.capability": ("能力(预案章节)", "Capability (plan chapter)"),
    "ev.auto": ("计分评级", "Rating from duties"),
    "ev.rated": ("评估员评级", "Evaluator's rating"),
    "ev.note": ("评语", "Note"),
    "ev.by": ("评估员", "Evaluator"),
    "ev.observations": ("观察记录:", "Observations:"),
    "ev.time": ("时间", "Time"),
    "ev.text": ("观察", "Observation"),
    # overview table
    "ov.item": ("项目", "Item"),
    "ov.value": ("内容", "Value"),
    "ov.exercise": ("演练情景", "Scenario"),
    "ov.kind": ("类型", "Kind"),
    "ov.date": ("日期(日志生成)", "Date (log written)"),
    "ov.period": ("模拟时长", "Simulated period"),
    "ov.plan": ("预案及版本", "Plan and version"),
    "ov.seed": ("随机种子", "Seed"),
    "ov.participants": ("参演人员", "Participants"),
    "ov.staff": ("初始人员配置", "Staff at the start"),
    "ov.auto_all": ("自动响应(全部角色)", "auto-responder (every role)"),
    "ov.auto_rest": ("自动响应:{roles}", "auto-responder: {roles}"),
    "ov.trainee": ("{name}:{roles}", "{name}: {roles}"),
    "ov.difficulty": ("难度", "Difficulty"),
    # key results
    "kr.metric": ("指标", "Measure"),
    "kr.value": ("数值", "Value"),
    "kr.arrived": ("投诉总量", "Complaints arrived"),
    "kr.answered": ("已答复", "Answered"),
    "kr.abandoned": ("热线放弃", "Abandoned on the hotline"),
    "kr.open": ("结束时未结", "Still open at the end"),
    "kr.p50": ("答复时长中位数", "Answer time, median"),
    "kr.p90": ("答复时长90分位", "Answer time, 90th percentile"),
    "kr.p95": ("答复时长95分位", "Answer time, 95th percentile"),
    "kr.hotline_p90": ("热线等待90分位", "Hotline wait, 90th percentile"),
    "kr.comms_p90": ("顾客沟通组排队等待90分位", "Customer-communication queue wait, 90th percentile"),
    "kr.compliance": ("职责按时完成率", "Duties met on time"),
    "kr.duties": ("计分职责:按时/逾期/未完成", "Duties scored: met / late / missed"),
    "kr.decisions": ("受评决策正确率", "Judged decisions correct"),
    "kr.levels": ("响应级别变化", "Level changes"),
    "kr.level_change": ("{time} {src}→{dst}({by},{rule})", "{time} {src}→{dst} ({by}, {rule})"),
    "kr.no_levels": ("未启动响应", "no response started"),
    "kr.warnings": ("预警期", "Warning periods"),
    "kr.warning": ("{start} 至 {end}", "{start} to {end}"),
    "kr.none": ("无", "none"),
    "kr.slash": (" / ", " / "),
    # MSEL
    "msel.time": ("时间", "Time"),
    "msel.kind": ("类型", "Kind"),
    "msel.text": ("内容", "Event"),
    "msel.expected": ("预案期望的行动", "Actions the plan expects"),
    # objectives
    "obj.tests": ("检验重点:{text}", "What the scenario tests: {text}"),
    "obj.path": ("按预案走完级别路径:{path}", "Follow the plan's level path: {path}"),
    "obj.duties": (
        "在下列能力中,按时完成情景触发的每一项时限职责(每项均有预案规则编号)",
        "Meet on time every timed duty the scenario triggers in the capabilities below (each cites a rule ID)",
    ),
    "obj.trainees": ("学员承担各自角色的决策:{who}", "Trainees take the decisions of their roles: {who}"),
    "cap.chapter": ("章", "Chapter"),
    "cap.name": ("能力(预案章节)", "Capability (plan chapter)"),
    "cap.rules": ("规则", "Rules"),
    "cap.scored": ("计分职责", "Duties scored"),
    "cap.rating": ("评级", "Rating"),
    # analysis
    "an.rating": ("评级:", "Rating: "),
    "an.counts": (
        "计分职责{scored}项:按时{met},逾期{late},未完成{missed};另有取消{cancelled}、未到期{open}。",
        "{scored} duties scored: {met} met on time, {late} late, {missed} missed; {cancelled} cancelled and {open} not yet due.",
    ),
    "an.rule": ("规则", "Rule"),
    "an.section": ("条款", "Section"),
    "an.duty": ("职责", "Duty"),
    "an.met": ("按时", "Met"),
    "an.late": ("逾期", "Late"),
    "an.missed": ("未完成", "Missed"),
    "an.cancelled": ("取消", "Cancelled"),
    "an.open": ("未到期", "Open"),
    "an.pct": ("按时率", "On time"),
    "an.method": (
        "评级依据该章节计分职责(按时、逾期、未完成):P 全部按时;S 按时率不低于90%,或无未完成且按时率不低于50%;"
        "M 至少一半完成(含逾期);U 其余情况。取消和未到期的职责不计分。",
        "Ratings come from the duties scored in the chapter (met, late, missed): P all met on time; "
        "S at least 90% on time, or none missed and at least 50% on time; M at least half done, late or not; "
        "U otherwise. Cancelled duties and duties not yet due are not scored.",
    ),
    "an.none": ("本次未触发任何计分职责。", "No scored duty was triggered."),
    # strengths
    "st.rule": ("{rule}({section}){names}:{met}项全部按时完成", "{rule} ({section}) {names}: all {met} met on time"),
    "st.capability": ("能力“{name}”无挑战地完成", 'Capability "{name}" was performed without challenges'),
    "st.decisions": ("受评决策全部正确:{correct}/{judged}", "Every judged decision was correct: {correct} of {judged}"),
    "st.none": ("本次没有全部按时完成的规则。", "No rule was met on time in every instance."),
    # areas for improvement
    "ai.rule": (
        "{rule}({section}){names}:逾期{late}项,未完成{missed}项(按时{met}项)",
        "{rule} ({section}) {names}: {late} late, {missed} missed ({met} met on time)",
    ),
    "ai.late": ("逾期:应于{due}完成,实际{done}完成,晚{late}", "late: due {due}, done {done}, {late} late"),
    "ai.missed": ("未完成:应于{due}完成(自{opened}起)", "missed: due {due} (opened {opened})"),
    "ai.detail": ("({detail})", " ({detail})"),
    "ai.more": ("其余实例见附录A", "further instances in Appendix A"),
    "ai.decision": ("{rule}:{role}的决策“{action}”被判定为错误", '{rule}: "{action}" by the {role}, judged incorrect'),
    "ai.decision_at": ("{time}({actor}):{reason}", "{time} ({actor}): {reason}"),
    "ai.none": ("未发现需要改进的事项。", "No area for improvement was found."),
    # improvement plan
    "ip.no": ("序号", "#"),
    "ip.area": ("事项(规则)", "Area (rule)"),
    "ip.action": ("纠正措施", "Corrective action"),
    "ip.owner": ("责任组", "Owner"),
    "ip.priority": ("优先级", "Priority"),
    "ip.due": ("完成期限", "Due"),
    "ip.high": ("高", "high"),
    "ip.medium": ("中", "medium"),
    "ip.none": ("无需改进措施。", "No corrective action is needed."),
    "ip.note": (
        "期限从日志生成日期起算:未完成与错误决策30天内(下一次月度演练前,预案§8.2),逾期60天内。",
        "Due dates count from the date the log was written: missed duties and incorrect decisions within 30 days "
        "(before the next monthly drill, plan §8.2), late duties within 60 days.",
    ),
    "fix.late": (
        "缩短“{action}”的办理时间:预先审定模板,为每个环节({chain})指定替补,确保在时限前完成",
        'Cut the lead time of "{action}": keep a pre-approved template and name a stand-in for each step '
        "({chain}) so it is done before the due time",
    ),
    "fix.late_nosteps": (
        "对照预案条件演练“{action}”,条件一旦满足即作出决定",
        'Rehearse "{action}" against the plan\'s conditions so it is taken as soon as they hold',
    ),
    "fix.missed": (
        "将“{action}”列入{owner}值班清单,自触发时起计时提醒,并指定替补人员,避免遗漏",
        'Put "{action}" on the {owner} duty checklist with a timer from its trigger, and name a stand-in so it is '
        "never left undone",
    ),
    "fix.task": (
        "为{team}增加“{task}”的人手,或在首次接报时即启动该工作",
        'Give {team} more people for "{task}", or start it at the first report',
    ),
    "fix.callbacks": (
        "扩大{team}回访小组,保持投诉者档案实时更新,以便立即开始回访",
        "Enlarge the {team} callback crew and keep the complainant file current so callbacks start at once",
    ),
    "fix.answered": (
        "按激增规模提高{team}人员配置(见附录C假设推演),并尽早开通备用热线",
        "Raise {team} staffing for the surge (see the what-if runs in Appendix C) and open the backup hotline early",
    ),
    "fix.decision": (
        "与{role}复盘{rule}:仅在预案条件满足时作出“{action}”,用判定条件卡片演练",
        'Review {rule} with the {role}: take "{action}" only when the plan\'s conditions hold; rehearse with the criteria card',
    ),
    # appendix A
    "ob.no": ("序号", "#"),
    "ob.rule": ("规则", "Rule"),
    "ob.section": ("条款", "Section"),
    "ob.duty": ("职责", "Duty"),
    "ob.owner": ("责任方", "Owner"),
    "ob.opened": ("触发", "Triggered"),
    "ob.due": ("时限", "Due"),
    "ob.done": ("完成", "Done"),
    "ob.status": ("结果", "Status"),
    "ob.late_by": ("逾期", "Late by"),
    # appendix B
    "dl.seq": ("序号", "Seq"),
    "dl.time": ("时间", "Time"),
    "dl.actor": ("决策人", "Actor"),
    "dl.role": ("角色", "Role"),
    "dl.action": ("行动", "Action"),
    "dl.params": ("参数/内容", "Parameters / contents"),
    "dl.outcome": ("执行结果", "Outcome"),
    "dl.judged": ("评判", "Judged"),
    "dl.done": ("完成于{time}", "done {time}"),
    "dl.rejected": ("被拒绝({rule}):{reason}", "rejected ({rule}): {reason}"),
    "dl.unfinished": ("演练结束时未完成", "unfinished at the end"),
    "dl.auto": ("自动响应", "auto-responder"),
    "dl.none": ("没有记录到决策。", "No decision was recorded."),
    # appendix C
    "wi.metric": ("指标", "Measure"),
    "wi.base.run": ("本次运行", "This run"),
    "wi.base.drill": ("本次演练", "This drill"),
    "wi.auto": ("自动响应(同一种子)", "Auto-responder, same seed"),
    "wi.whatif": ("假设:{changes}", "What-if: {changes}"),
    "wi.staff": ("人员调整", "Staff changes"),
    "wi.first_level": ("首次响应级别", "First level declared"),
    "wi.first_level_t": ("首次响应时间", "First response at"),
    "wi.util": ("顾客沟通组利用率", "Customer-communication utilisation"),
    "wi.backlog_comms": ("顾客沟通组最大积压", "Peak customer-communication backlog"),
    "wi.backlog_hotline": ("热线最大积压", "Peak hotline backlog"),
    "wi.none": ("未要求假设推演;用 --what-if 团队=人数 指定。", "No what-if run was asked for; name one with --what-if TEAM=N."),
    # charts
    "ch.arrivals": ("投诉到达量与处理能力(每小时)", "Complaint arrivals vs handling capacity (per hour)"),
    "ch.arrivals.all": ("全部投诉到达", "complaints arriving"),
    "ch.arrivals.hotline": ("热线来电", "hotline calls"),
    "ch.capacity": ("{team}处理能力", "{team} capacity"),
    "ch.per_hour": ("件/小时", "per hour"),
    "ch.day": ("模拟天数", "simulated day"),
    "ch.backlog": ("各组积压(每小时快照)", "Backlog per team (hourly snapshot)"),
    "ch.waiting": ("等待中的工作", "work waiting"),
    "ch.cdf": ("答复时长分布与7日目标", "Answer-time distribution against the 7-day target"),
    "ch.cdf.y": ("已答复投诉累计占比", "share of answered complaints"),
    "ch.cdf.x": ("答复时长(小时)", "answer time (hours)"),
    "ch.cdf.p90": ("{label}(90分位 {p90}小时)", "{label} (p90 {p90} h)"),
    "ch.cdf.target": ("目标:{pct}在{hours}小时内", "target: {pct} within {hours} h"),
    "ch.levels": ("响应级别与预警时间线", "Level and warning timeline"),
    "ch.levels.inforce": ("实际级别", "level in force"),
    "ch.levels.implied": ("预案条件对应级别", "level the plan's conditions call for"),
    "ch.levels.warning": ("预警期", "warning"),
    "ch.gantt": ("职责时限甘特图", "Obligations: trigger to due, and when done"),
    "ch.heat": ("舆情热度", "Opinion heat"),
    "ch.heat.y": ("热度指数", "heat index"),
    "ch.heat.disclosure": ("按时信息公开", "timely disclosure"),
    "ch.heat.late": ("公开逾期/未完成", "disclosure late or missed"),
    "ch.sections": ("按预案条款计分", "Score by plan section"),
    "ch.sections.x": ("职责数", "duties"),
    "ch.decisions": ("学员决策与自动响应(同一种子)", "Trainee decisions beside the auto-responder (same seed)"),
    "ch.decisions.trainee": ("学员", "trainee"),
    "ch.decisions.rejected": ("学员(被拒绝)", "trainee (rejected)"),
    "ch.decisions.auto": ("自动响应", "auto-responder"),
    "ch.whatif": ("假设推演:答复时长分布", "What-if runs: answer-time distributions"),
    "ch.no_data": ("无数据", "no data"),
    # chart captions: how to read each chart
    "cap.arrivals": (
        "柱:每小时各渠道到达的投诉;细线:热线来电。红色与紫色阶梯:按在岗人数计算的顾客沟通组与热线每小时处理能力"
        "(人数×60÷平均处理分钟)。竖虚线:情景注入事件。",
        "Bars: complaints arriving each hour on all channels; thin line: hotline calls. Red and purple steps: what the "
        "customer-communication team and the hotline can handle per hour with the staff on duty (staff × 60 ÷ mean "
        "handling minutes). Dashed verticals: scenario injects.",
    ),
    "cap.backlog": (
        "每小时末各组等待处理的工作量;各组差距很大时纵轴取对数刻度;标注峰值。",
        "Work waiting for a free person in each team at the end of each hour; a logarithmic scale when teams differ "
        "widely; the peak is labelled.",
    ),
    "cap.answers": (
        "已答复投诉在给定时长内答复的累计占比。竖虚线为7日时限,横点线为90%目标:曲线须在竖虚线左侧越过横点线。圆点为90分位。",
        "Share of answered complaints answered within a given time. The dashed line is the 7-day limit, the dotted "
        "line the 90% target: the curve must cross the dotted line left of the dashed one. The dot marks the 90th "
        "percentile.",
    ),
    "cap.levels": (
        "红线:实际响应级别;蓝色点划线:预案条件对应的级别;黄色底纹:预警期;灰色竖虚线:注入事件。",
        "Red: the level in force; blue dash-dot: the level the plan's conditions called for; shaded: warning periods; "
        "grey dashed: injects.",
    ),
    "cap.heat": (
        "每小时舆情热度。绿色三角:按时完成的信息公开职责(每次使热度下降);红色:公开逾期或未完成。",
        "Opinion heat, hourly. Green triangles: disclosure duties done on time (each damps the heat); red: disclosure "
        "late or missed.",
    ),
    "cap.sections": (
        "各预案条款的计分职责:按时、逾期、未完成;标注为按时数/计分数及按时率。",
        "Duties scored per plan section: met on time, late, missed; labelled met / scored and the share on time.",
    ),
    "cap.gantt": (
        "每行一项职责,标有规则编号。色条从触发时刻到时限;圆点为完成时刻,逾期者以线段和标注显示逾期时长;×为未完成;"
        "灰色为已取消,蓝色为结束时未到期。",
        "One row per duty, labelled with its rule ID. Each bar runs from the trigger to the due time; a dot marks when "
        "it was done, a line and a label how late; × marks a missed duty; grey: cancelled; blue: not yet due at the end.",
    ),
    "cap.decisions": (
        "按行动分行:学员的决策(蓝色圆点;被引擎拒绝的为红色×),与同一随机种子下自动响应为相同角色所作的决策(灰色菱形)对照。",
        "Per action: the trainees' decisions (blue dots; a red × where the engine rejected one) beside what the "
        "auto-responder did for the same roles on the same seed (grey diamonds).",
    ),
    "cap.whatif": (
        "本次运行与同一随机种子下各对比运行的答复时长分布,对照7日目标。",
        "Answer-time distributions of this run and of the comparison runs on the same seed, against the 7-day target.",
    ),
}


def tr(key: str, lang: Lang) -> str:
    """The text ``key`` in ``lang``."""
    zh, en = _T[key]
    return zh if lang == "zh" else en


def chapter_name(chapter: int, lang: Lang) -> str:
    """The name of a chapter of the plan (empty for a chapter the plan does not have)."""
    return pick(CHAPTERS.get(chapter, ("", "")), lang)


def pick(pair: tuple[str, str], lang: Lang) -> str:
    """The ``lang`` member of a (zh, en) pair."""
    return pair[0] if lang == "zh" else pair[1]


_SLOT = re.compile(r"\{(\w+)\}")


def fill(key: str, lang: Lang, **values: Piece | Frag) -> Frag:
    """The template ``key`` with its slots filled: a text run."""
    out: list[Piece] = []
    template = tr(key, lang)
    pos = 0
    for m in _SLOT.finditer(template):
        if m.start() > pos:
            out.append(template[pos : m.start()])
        value = values[m.group(1)]
        out.extend(value if isinstance(value, tuple) else (value,))
        pos = m.end()
    if pos < len(template):
        out.append(template[pos:])
    return tuple(out)


def text(key: str, lang: Lang, **values: str) -> str:
    """The template ``key`` filled with plain strings."""
    return tr(key, lang).format(**values)
