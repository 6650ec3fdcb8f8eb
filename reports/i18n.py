"""Chinese and English texts of the reports and charts.

Templates name their values in braces (``{met} of {scored}``); :func:`fill` puts values,
marks or text runs into them and returns a text run (:data:`reports.model.Frag`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from simulator.model import CHAPTERS, Lang, Scale, Staffing

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
    "incomplete": ("缺要素", "incomplete"),
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
    "kr.compliance": ("职责得分", "Duty score"),
    "kr.compliance_all": ("职责得分(全体,含自动响应)", "Duty score (everyone, auto-responder included)"),
    "kr.decisions_all": ("受评决策正确率(全体,含自动响应)", "Judged decisions correct (everyone, auto-responder included)"),
    "kr.duties": ("计分职责:按时/缺要素/逾期/未完成", "Duties scored: met / incomplete / late / missed"),
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
        "计分职责{scored}项:按时{met},缺要素{incomplete},逾期{late},未完成{missed};另有取消{cancelled}、未到期{open}。",
        "{scored} duties scored: {met} met on time, {incomplete} incomplete, {late} late, {missed} missed; "
        "{cancelled} cancelled and {open} not yet due.",
    ),
    "an.rule": ("规则", "Rule"),
    "an.section": ("条款", "Section"),
    "an.duty": ("职责", "Duty"),
    "an.met": ("按时", "Met"),
    "an.incomplete": ("缺要素", "Incomplete"),
    "an.late": ("逾期", "Late"),
    "an.missed": ("未完成", "Missed"),
    "an.cancelled": ("取消", "Cancelled"),
    "an.open": ("未到期", "Open"),
    "an.pct": ("得分率", "Score"),
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
    "ai.rule_missed": (
        "{rule}({section}){names}:{n}项未完成(按时{met}项)",
        "{rule} ({section}) {names}: {n} missed ({met} met on time)",
    ),
    "ai.rule_late": (
        "{rule}({section}){names}:{n}项逾期(按时{met}项)",
        "{rule} ({section}) {names}: {n} late ({met} met on time)",
    ),
    "ai.rule_incomplete": (
        "{rule}({section}){names}:{n}份文件缺少预案要求的要素:{missing}",
        "{rule} ({section}) {names}: {n} document(s) without what the plan requires: {missing}",
    ),
    "ai.incomplete": ("{done}发出,缺少{missing}", "sent {done} without {missing}"),
    "ai.quote": (",原文:{text}", "; it read: {text}"),
    "ai.no_text": ("(无正文)", "(no text)"),
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
        "期限从日志生成日期起算:未完成与错误决策30天内(下一次月度演练前,预案§8.2),逾期与缺要素60天内。",
        "Due dates count from the date the log was written: missed duties and incorrect decisions within 30 days "
        "(before the next monthly drill, plan §8.2), late and incomplete duties within 60 days.",
    ),
    "fix.late": (
        "将“{action}”的办理时间缩短至少{late}:预先审定模板,为每个环节({chain})指定替补,确保在时限前完成",
        'Cut the lead time of "{action}" by at least {late}: keep a pre-approved template and name a stand-in '
        "for each step ({chain}) so it is done before the due time",
    ),
    "fix.late_nosteps": (
        "对照预案条件演练“{action}”,条件一旦满足即作出决定(本次最多晚{late})",
        'Rehearse "{action}" against the plan\'s conditions so it is taken as soon as they hold (up to {late} late this time)',
    ),
    "fix.missed": (
        "明确{owner}为“{action}”的责任人:{trigger}即开始计时,列入值班看板并指定替补",
        'Make the {owner} the named owner of "{action}": its clock starts {trigger}; put it on the duty board with a stand-in',
    ),
    "fix.incomplete": (
        "在“{action}”模板中加入要素核对清单,逐项写明{elements};{owner}发出前逐项勾选核对",
        'Add a checklist to the "{action}" template that covers {elements}; the {owner} checks each item before sending',
    ),
    "trig.response_start": ("于应急响应启动时", "when a response starts"),
    "trig.level_entered": ("于进入响应级别时", "when a level is entered"),
    "trig.warning_start": ("于启动预警时", "when the warning starts"),
    "trig.warning_end": ("于预警解除时", "when the warning ends"),
    "trig.inject": ("于收到“{what}”时", 'on a "{what}"'),
    "trig.task_done": ("于“{what}”完成时", 'when "{what}" is done'),
    "trig.condition": ("于预案条件成立时", "when the plan's condition starts to hold"),
    "trig.event_open": ("于事件接报时", "when the event is reported"),
    "trig.levels": ("({levels})", " ({levels})"),
    "dur.min": ("{m}分钟", "{m} min"),
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
    "fix.channels": (
        "与{role}复盘{rule}:{level}只经{expected}发布;在公告模板上按级别列明渠道",
        "Review {rule} with the {role}: {level} is announced on {expected} only; list the channels by level on the "
        "announcement template",
    ),
    "fix.decision": (
        "与{role}复盘{rule}:仅在预案条件满足时作出“{action}”;以本次情形演练判定条件卡片:{why}",
        'Review {rule} with the {role}: take "{action}" only when the plan\'s conditions hold; rehearse the criteria '
        "card on this case: {why}",
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
    "ob.missing": ("(缺:{missing})", " (without {missing})"),
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
    "dl.src": ("调出:{team}", "from {team}"),
    "dl.dst": ("调入:{team}", "to {team}"),
    "dl.n": ("{n}人", "{n} people"),
    "dl.none": ("没有记录到决策。", "No decision was recorded."),
    # appendix C
    "wi.metric": ("指标", "Measure"),
    "wi.base.run": ("本次运行", "This run"),
    "wi.base.drill": ("本次演练", "This drill"),
    "wi.auto": ("自动响应(同一种子)", "Auto-responder, same seed"),
    "wi.whatif": ("假设:{changes}", "What-if: {changes}"),
    "wi.flat": ("{team} 全天 {n} 人", "{team}={n} round the clock"),
    "wi.scaled": ("{team} 按现有排班 ×{factor}", "{team} ×{factor} of its roster"),
    "wi.staff": ("人员调整", "Staff changes"),
    "wi.first_level": ("首次响应级别", "First level declared"),
    "wi.first_level_t": ("首次响应时间", "First response at"),
    "wi.util": ("顾客沟通组利用率", "Customer-communication utilisation"),
    "wi.backlog_comms": ("顾客沟通组最大积压", "Peak customer-communication backlog"),
    "wi.backlog_hotline": ("热线最大积压", "Peak hotline backlog"),
    "wi.none": (
        "未要求假设推演;用 --what-if 团队=人数(或 团队=x倍数,按现有排班缩放)指定。",
        "No what-if run was asked for; name one with --what-if TEAM=N (or TEAM=xF to scale the team's roster).",
    ),
    # the trainees' part (drills)
    "sub.trainees": ("学员的表现(学员自己的职责与决策)", "The trainees' part: their own duties and decisions"),
    "tp.headline": (
        "学员自己的部分:职责得分{pct}(计分{scored}项,按时完成{met}项),决策正确率{dpct}({correct}/{judged})。",
        "The trainees' own part: duty score {pct} ({met} of {scored} scored duties met on time), decisions correct "
        "{dpct} ({correct} of {judged}).",
    ),
    "tp.auto_line": (
        "自动响应承担的其余角色另计,不计入学员:职责得分{pct},决策正确率{dpct}。",
        "The auto-responder's part (the other roles) is counted apart, not as the trainees': duty score {pct}, "
        "decisions correct {dpct}.",
    ),
    "tp.who": ("学员", "Trainee"),
    "tp.who_auto": ("承担方", "Held by"),
    "tp.role": ("角色", "Role"),
    "tp.met": ("按时", "Met"),
    "tp.incomplete": ("缺要素", "Incomplete"),
    "tp.late": ("逾期", "Late"),
    "tp.missed": ("未完成", "Missed"),
    "tp.pct": ("职责得分", "Duty score"),
    "tp.decisions": ("决策正确/受评", "Decisions correct / judged"),
    "tp.auto": ("自动响应(其余角色)", "auto-responder (other roles)"),
    "tp.auto_note": (
        "以下为自动响应的部分(无学员承担的角色及其决策),仅供对照,不计入学员成绩:",
        "The auto-responder's part (the roles no trainee held, and its decisions), for comparison only, not the "
        "trainees':",
    ),
    "tp.only": (
        "本节只列学员自己的职责与决策;自动响应的部分见“学员的表现”。",
        "This section covers only the trainees' own duties and decisions; the auto-responder's part is shown apart "
        'under "The trainees\' part".',
    ),
    # consequences (drills)
    "sub.consequences": ("后果:与自动响应(同一种子)对比", "Consequences: the drill beside the auto-responder on the same seed"),
    "cq.method": (
        "对比运行:同一情景、预案、随机种子与人员配置,全部角色由自动响应承担,导调的注入操作(暂缓、跳过、立即发出、临时注入)照样重放,"
        "在演练结束的同一时刻结束。"
        "差异“较大”指:两者之差不小于该指标的下限(放弃来电、到达、未结投诉各20件,答复时长90分位1小时,热线等待90分位5分钟,"
        "积压10件,舆情热度5),且不小于自动响应数值的{pct}%。每项较大差异只与引擎中能改变该指标的决策关联:"
        "热线指标——开放备用热线、调入调出热线的人员;顾客沟通组指标——请求外部支援(支援该组时)、调入调出该组的人员;"
        "舆情热度及其带来的投诉——预案的信息公开职责(按时完成使热度下降,逾期或未完成使其上升)。"
        "只列两次运行用法不同者:一方执行而另一方未执行、晚{later}分钟以上、仅演练中调配人员,或逾期/未完成次数不同。",
        "The comparison run: the same scenario, plan, seed and staff, every role held by the auto-responder, the "
        "facilitator's cues (held, skipped, fired-now and written injects) replayed as in the drill, ended when the "
        "drill ended. A difference is large when it is at least the measure's floor (20 abandoned calls, arrivals "
        "or open complaints; 1 h of p90 answer time; 5 min of p90 hotline wait; a backlog of 10; 5 points of heat) and "
        "at least {pct}% of the auto-responder's value. Each large difference is tied only to the decisions the engine "
        "lets change that measure: for the hotline, opening the backup hotline and staff moved to or from it; for "
        "customer communication, requesting external support (when it goes to that team) and staff moved to or from "
        "it; for opinion heat and the complaints it brings, the plan's disclosure duties (on time they damp heat, late "
        "or missed they feed it). Only levers the two runs used differently are listed: done in one run and not the "
        "other, {later} min or more later, staff moved in the drill only, or late/missed a different number of times.",
    ),
    "cq.none": ("本次演练与自动响应之间没有较大差异。", "No large difference between the drill and the auto-responder."),
    "cq.outcome": ("指标", "Outcome"),
    "cq.drill": ("本次演练", "This drill"),
    "cq.auto": ("自动响应(同一种子)", "Auto-responder, same seed"),
    "cq.causes": ("背后的决策", "Decisions behind it"),
    "cq.o.abandoned": ("热线放弃来电", "Abandoned hotline calls"),
    "cq.o.arrived": ("投诉到达量(含舆情带来的投诉)", "Complaints arrived (heat brings more)"),
    "cq.o.open": ("结束时未结投诉", "Complaints still open at the end"),
    "cq.o.answer_p90": ("答复时长90分位", "Answer time, 90th percentile"),
    "cq.o.hotline_wait_p90": ("热线等待90分位", "Hotline wait, 90th percentile"),
    "cq.o.hotline_backlog": ("热线最大积压", "Peak hotline backlog"),
    "cq.o.comms_backlog": ("顾客沟通组最大积压", "Peak customer-communication backlog"),
    "cq.o.heat_peak": ("舆情热度峰值", "Peak opinion heat"),
    "cq.never": (
        "“{action}”({role}:{who})在演练中从未执行;自动响应于{auto}完成",
        '"{action}" ({role}: {who}) was never done in the drill; the auto-responder did it at {auto}',
    ),
    "cq.later": (
        "“{action}”({role}:{who})于{drill}完成,晚于自动响应({auto})",
        '"{action}" ({role}: {who}) done at {drill}, later than the auto-responder ({auto})',
    ),
    "cq.earlier": (
        "“{action}”({role}:{who})于{drill}完成,早于自动响应({auto})",
        '"{action}" ({role}: {who}) done at {drill}, earlier than the auto-responder ({auto})',
    ),
    "cq.only_drill": (
        "“{action}”({role}:{who})仅在演练中执行,于{drill}完成",
        '"{action}" ({role}: {who}) done in the drill only, at {drill}',
    ),
    "cq.moved": ("{who}于{time}从{src}调{n}人到{dst}", "{who} moved {n} from {src} to {dst} at {time}"),
    "cq.disclosure": (
        "{rule} {name}({role}:{who}):演练中逾期{late}项、未完成{missed}项;自动响应逾期{alate}项、未完成{amissed}项",
        "{rule} {name} ({role}: {who}): {late} late and {missed} missed in the drill; {alate} late and {amissed} missed "
        "by the auto-responder",
    ),
    "cq.no_cause": (
        "没有可直接关联的决策(其他差异的连带结果)",
        "no decision the engine ties to it directly (a knock-on of the other differences)",
    ),
    "ca.headline.never": ("后果:“{action}”未执行,{outcomes}", 'Consequence: "{action}" left undone; {outcomes}'),
    "ca.headline.later": ("后果:“{action}”执行较晚,{outcomes}", 'Consequence: "{action}" done late; {outcomes}'),
    "ca.outcome": ("{label}{drill}(自动响应{auto})", "{label} {drill} (auto-responder {auto})"),
    "ca.fix.never": (
        "将“{action}”列入{role}值班清单:预警或响应一启动即执行(同一种子下自动响应于{auto}执行)",
        'Put "{action}" on the {role} checklist, to be done as soon as a warning or response starts (the '
        "auto-responder did it at {auto} on the same seed)",
    ),
    "ca.fix.later": (
        "提前“{action}”:本次于{drill}执行,自动响应于{auto}执行;预警或响应一启动即执行",
        'Take "{action}" earlier: done at {drill} in the drill, at {auto} by the auto-responder; do it as soon as a '
        "warning or response starts",
    ),
    # hot wash (drills)
    "sub.hotwash": ("复盘讨论(热洗)", "Hot wash"),
    "hw.path": ("预案期望路径:{path}", "The plan's expected path: {path}"),
    "hw.question": ("讨论问题", "Question"),
    "hw.notes": ("培训师记录", "Trainer's notes"),
    "hw.no_note": ("(未记录)", "(no note)"),
    "hw.what": ("改进事项", "Improvement item"),
    "hw.owner": ("负责人", "Owner"),
    "hw.due": ("期限", "Due"),
    "hw.rule": ("规则", "Rule"),
    "hw.none": ("演练结束时没有保存复盘记录。", "No hot-wash notes were kept at the end of the drill."),
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


def staffing_text(changes: Mapping[str, Staffing], lang: Lang) -> str:
    """A what-if's staff changes, saying of each team whether it was set flat or its roster scaled."""
    return ", ".join(
        text("wi.scaled", lang, team=team, factor=n.text) if isinstance(n, Scale) else text("wi.flat", lang, team=team, n=str(n))
        for team, n in changes.items()
    )


def text(key: str, lang: Lang, **values: str) -> str:
    """The template ``key`` filled with plain strings."""
    return tr(key, lang).format(**values)
