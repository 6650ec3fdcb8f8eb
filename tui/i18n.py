"""Every string the drill UI shows, in Chinese and English, and the formatting of times.

``tr(key, lang, **values)`` returns the string for ``key`` in ``lang`` with ``str.format`` fields
filled. Names that come from the plan or scenario (levels, teams, roles, actions, injects) are
bilingual in those files (document elements too); this module holds only the UI's own words and
the labels of indicator values.
"""

from __future__ import annotations

from simulator.lang import default_lang as default_lang  # one reading of the locale, re-exported for the UI
from simulator.model import MINUTES_PER_DAY, MINUTES_PER_HOUR, Lang

STRINGS: dict[str, tuple[str, str]] = {
    # app and briefing
    "clause.sep": (",", ", "),
    "app.title": ("应急演练", "Emergency drill"),
    "briefing.title": ("演练简报", "Briefing"),
    "briefing.situation": ("情况", "Situation"),
    "briefing.trainees": ("受训人员与角色", "Trainees and roles"),
    "briefing.objectives": ("考核目标(本情景检验的预案时限)", "Objectives (the plan's time limits this scenario tests)"),
    "briefing.controls": ("操作", "Controls"),
    "briefing.start": (
        "按 {key} 开始演练(时钟暂停中,按 {pause} 启动)",
        "Press {key} to begin (the clock starts paused; {pause} runs it)",
    ),
    "briefing.resumed": ("已恢复会话,时钟在 {clock}", "Session resumed; the clock is at {clock}"),
    "col.rule": ("规则", "Rule"),
    "col.section": ("条款", "Section"),
    "col.duty": ("职责", "Duty"),
    "col.owner": ("责任方", "Owner"),
    "col.when": ("触发", "Trigger"),
    "col.due": ("时限", "Time limit"),
    "col.countdown": ("剩余", "Left"),
    "col.trainee": ("受训人员", "Trainee"),
    "col.roles": ("角色", "Roles"),
    "col.team": ("小组", "Team"),
    "col.staff": ("人员", "Staff"),
    "col.backlog": ("积压", "Backlog"),
    "col.met": ("按时", "Met"),
    "col.late": ("迟延", "Late"),
    "col.missed": ("未完成", "Missed"),
    "col.incomplete": ("缺要素", "Incomplete"),
    "col.cancelled": ("已取消", "Cancelled"),
    "col.open": ("未到期", "Open"),
    "col.status": ("结果", "Result"),
    "col.time": ("时间", "Time"),
    "col.role": ("角色", "Role"),
    "col.actor": ("决策人", "By"),
    "col.action": ("决策", "Decision"),
    "col.compliance": ("职责得分", "Duty score"),
    "col.decisions": ("决策正确率", "Correct decisions"),
    "col.key": ("按键", "Key"),
    "col.does": ("作用", "Does"),
    "mark.yours": ("★ 由受训人员负责", "★ yours to act on"),
    "trigger.response_start": ("响应启动", "response starts"),
    "trigger.level_entered": ("进入级别", "level entered"),
    "trigger.warning_start": ("预警启动", "warning starts"),
    "trigger.warning_end": ("预警结束", "warning ends"),
    "trigger.inject": ("情景事件:{kind}", "inject: {kind}"),
    "trigger.task_done": ("任务完成:{task}", "task done: {task}"),
    "trigger.condition": ("条件成立", "condition holds"),
    "trigger.event_open": ("接报立案", "event reported"),
    "trigger.levels": ("({levels})", " ({levels})"),
    "trigger.maybe": ("视进展", "may"),
    "due.after": ("{d}内", "within {d}"),
    "due.every": ("每{d}", "every {d}"),
    "due.daily": ("每日 {hh:02d}:00 前", "daily by {hh:02d}:00"),
    "due.by_level": ("按级别:{parts}", "by level: {parts}"),
    "dur.min": ("{m}分钟", "{m} min"),
    "dur.h": ("{h}小时", "{h} h"),
    "dur.d": ("{d}天", "{d} d"),
    # clock and dashboard
    "clock.day": ("第{day}天 {hh:02d}:{mm:02d}", "Day {day} {hh:02d}:{mm:02d}"),
    "clock.paused": ("暂停", "paused"),
    "clock.running": ("运行", "running"),
    "clock.speed": ("{speed}倍速", "{speed}×"),
    "clock.autopause_on": ("自动暂停:开({m}分钟)", "auto-pause: on ({m} min)"),
    "clock.autopause_off": ("自动暂停:关", "auto-pause: off"),
    "clock.level": ("级别:{level}", "Level: {level}"),
    "clock.warning_on": ("预警中(自 {since})", "warning since {since}"),
    "clock.warning_off": ("无预警", "no warning"),
    "clock.implied": ("预案条件指向:{level}", "plan conditions: {level}"),
    "dash.per_hour": ("每小时投诉(近{n}小时)", "Complaints per hour (last {n} h)"),
    "dash.last_hour": ("上一小时投诉", "Complaints last hour"),
    "dash.growth": ("日投诉较基线", "Daily vs baseline"),
    "dash.abandoned": ("放弃来电(上小时/累计)", "Abandoned (hour/total)"),
    "dash.heat": ("舆情热度", "Opinion heat"),
    "dash.injuries": ("人员伤亡", "Injuries"),
    "dash.media": ("媒体报道", "Media coverage"),
    "dash.teams": ("各组人员与积压", "Staff and backlog per team"),
    "value.none": ("无", "none"),
    "value.minor": ("轻伤", "minor"),
    "value.serious": ("重伤", "serious"),
    "value.death": ("死亡", "death"),
    "value.regional": ("区域媒体", "regional"),
    "value.national": ("全国媒体", "national"),
    "panel.obligations": ("待办职责", "Open duties"),
    "panel.feed": ("动态", "Feed"),
    "panel.palette": ("决策", "Decisions"),
    "palette.auto": ("自动应答", "auto-responder"),
    "obligations.none": ("暂无待办职责", "No open duties"),
    # feed
    "feed.inject": ("【{kind}】{text}", "[{kind}] {text}"),
    "feed.level": ("响应级别:{src} → {dst}({by},{rule})", "Level: {src} → {dst} ({by}, {rule})"),
    "feed.warning_on": ("预警启动({by},{rule})", "Warning started ({by}, {rule})"),
    "feed.warning_off": ("预警结束({by},{rule})", "Warning ended ({by}, {rule})"),
    "feed.ack": ("#{seq} 已记入演练日志:{action}", "#{seq} journaled: {action}"),
    "feed.rejected": ("#{seq} 被拒绝:{action}——{reason}({rule})", "#{seq} rejected: {action} — {reason} ({rule})"),
    "feed.step": ("#{seq} {action}:{step} 完成", "#{seq} {action}: {step} done"),
    "feed.done": ("#{seq} 完成:{action}", "#{seq} done: {action}"),
    "feed.auto": ("自动应答({role}):{action}", "Auto-responder ({role}): {action}"),
    "feed.met": ("✓ {rule} {name}:按时完成", "✓ {rule} {name}: met on time"),
    "feed.met_late": ("✓ {rule} {name}:完成,迟延 {late}", "✓ {rule} {name}: done, {late} late"),
    "feed.verdict_ok": ("✓ {rule} 判定正确:{reason}", "✓ {rule} judged right: {reason}"),
    "feed.verdict_wrong": ("✗ {rule} 判定错误:{reason}", "✗ {rule} judged wrong: {reason}"),
    "feed.incomplete": ("{rule} {name}:文件缺少{missing},记为缺要素", "{rule} {name}: the document has no {missing}: incomplete"),
    "feed.overdue": ("✗ {rule} {name}:已超时", "✗ {rule} {name}: overdue"),
    "feed.task": ("{task}:已完成", "{task}: done"),
    "feed.campaign_on": ("回访开始:{n} 位投诉人", "Callbacks started: {n} complainants"),
    "feed.campaign_off": ("回访完成:{n} 位投诉人", "Callbacks finished: {n} complainants"),
    "feed.due_soon": ("! {rule} {name}:{left}后到期", "! {rule} {name}: due in {left}"),
    "feed.paused_inject": ("‖ 时钟已自动暂停:新情景事件", "‖ clock paused: a new inject"),
    "feed.paused_due": ("‖ 时钟已自动暂停:职责即将到期", "‖ clock paused: a duty falls due soon"),
    "feed.auto_role": ("{action}由自动应答代行({role})", "{action} is handled by the auto-responder ({role})"),
    # forms
    "form.submit": ("提交", "Submit"),
    "form.cancel": ("取消", "Cancel"),
    "form.contents": ("文件包含的要素(☑ 已写入,☐ 未写入)", "Elements the document carries (☑ written in, ☐ not)"),
    "form.text": ("文件内容(中文或英文)", "The document (Chinese or English)"),
    "form.title": ("标题", "Title"),
    "form.body": ("正文", "Text"),
    "form.required": ("预案要求本文件包含:{elements}", "The plan requires: {elements}"),
    "form.incomplete": ("文件不完整", "The document is incomplete"),
    "form.missing": ("未包含预案要求的要素:{elements}", "Missing what the plan requires: {elements}"),
    "form.wrong": ("{level}不经以下渠道发布:{elements}", "{level} is not announced on: {elements}"),
    "form.no_text": ("标题与正文均为空。", "The title and text are empty."),
    "form.send_anyway": ("仍要发送吗?", "Send it anyway?"),
    "form.checked_by": ("受以下规则检查:{rules}", "Checked by: {rules}"),
    "form.chain": ("办理流程(每步占用人员与模拟时间)", "Chain (each step takes people and simulated time)"),
    "form.step": ("{n}. {name} — {team},{m}分钟", "{n}. {name} — {team}, {m} min"),
    "form.level": ("选择响应级别(当前:{level})", "Choose the level (now: {level})"),
    "form.staff_from": ("调出小组", "From team"),
    "form.staff_to": ("调入小组", "To team"),
    "form.staff_n": ("人数", "People"),
    "form.staff_bad": ("请选择两个不同的小组并填写正整数人数", "Choose two different teams and a positive whole number"),
    "form.staff_now": ("{team}:{n}人在岗", "{team}: {n} on duty"),
    "confirm.title": ("请确认", "Confirm"),
    "confirm.yes": ("确认", "Confirm"),
    "confirm.no": ("返回", "Back"),
    "confirm.rule": ("此操作涉及规则 {rule}:{text}", "This touches rule {rule}: {text}"),
    "confirm.irreversible": ("该决策不可撤回。", "This decision cannot be undone."),
    "confirm.illegal": (
        "预案不允许 {src} → {dst},系统将拒绝并计为错误决策。",
        "The plan does not allow {src} → {dst}; it will be rejected and scored wrong.",
    ),
    "confirm.change": ("将响应级别由 {src} 调整为 {dst}。", "Change the level from {src} to {dst}."),
    "confirm.end": (
        "现在结束演练?情景将运行至结束后评分:自动应答继续代行无人担任的角色,受训人员尚未完成的职责计为未完成。"
        "(按 {key} 则在当前时刻结束。)",
        "End the drill now? The scenario runs to its end and is scored: the auto-responder keeps acting for the"
        " roles no trainee holds; duties trainees still owe count as missed. ({key} ends it at the current time instead.)",
    ),
    "confirm.end_now": (
        "在当前时刻({time})结束演练并评分?已到期未完成的职责计为未完成;尚未到期的职责记为未到期,不计入得分。",
        "End the drill at the current time ({time}) and score it? Duties past their time limit and not done count"
        " as missed; duties not yet due stay open and are not scored.",
    ),
    "confirm.quit": ("退出?演练日志已保存,可用 {cmd} 恢复。", "Quit? The journal is saved; resume with {cmd}."),
    "quit.resume": ("演练日志已保存,可用 {cmd} 恢复。", "The journal is saved; resume with {cmd}"),
    # end
    "end.title": ("演练结果", "Drill results"),
    "end.summary": ("学员:职责得分 {c} · 决策正确率 {d}", "Trainees: duty score {c} · correct decisions {d}"),
    "end.auto_part": (
        "自动应答部分(其余角色,不计入学员):职责得分 {c} · 决策正确率 {d}",
        "Auto-responder's part (the other roles, not the trainees'): duty score {c} · correct decisions {d}",
    ),
    "end.auto_label": ("自动应答(其余角色)", "auto-responder (other roles)"),
    "end.by_rule": ("按规则", "By rule"),
    "end.duties": ("职责明细", "Duties"),
    "end.decisions": ("决策", "Decisions"),
    "end.roles": ("学员与角色", "Trainees and roles"),
    "end.hotwash": ("复盘讨论", "Hot wash"),
    "hw.tests": ("检验重点:", "What it tests: "),
    "hw.path": ("预案期望路径:", "Expected path: "),
    "hw.no_guide": ("本情景没有培训师指南。", "This scenario has no trainer's guide."),
    "hw.note_hint": ("讨论记录(回车保存)", "notes on this question (Enter keeps them)"),
    "hw.items": ("改进事项(写入培训记录)", "Improvement items (kept in the training records)"),
    "hw.what": ("事项", "What"),
    "hw.owner": ("负责人", "Owner"),
    "hw.due": ("期限", "Due"),
    "hw.rule": ("规则(可选)", "Rule (optional)"),
    "hw.bad_due": ("期限“{due}”不是日期,请写成 YYYY-MM-DD", "due '{due}' is not a date; write it as YYYY-MM-DD"),
    "hw.need": ("请填写事项和负责人", "give what is to be done and who owns it"),
    "hw.saved": ("已保存:{path}", "kept in {path}"),
    "end.report": ("生成复盘报告:{cmd}", "Write the after-action report: {cmd}"),
    "end.met": ("按时", "met"),
    "end.late": ("迟延 {late}", "late by {late}"),
    "end.missed": ("未完成", "missed"),
    "end.incomplete": ("缺要素:{missing}", "incomplete: no {missing}"),
    "end.late_incomplete": ("{late};缺要素:{missing}", "{late}; incomplete: no {missing}"),
    "end.cancelled": ("已取消", "cancelled"),
    "end.open": ("未到期", "not yet due"),
    "end.correct": ("✓ 正确", "✓ correct"),
    "end.wrong": ("✗ 错误", "✗ wrong"),
    "end.no_decisions": ("没有受评的决策。", "No decision was judged."),
    "end.why": ("依据:", "Reason: "),
    "end.finishing": ("正在运行至情景结束并评分…", "Running to the end of the scenario and scoring…"),
    "end.finishing_now": ("在当前时刻结束并评分…", "Ending at the current time and scoring…"),
    # help and keys
    "help.title": ("按键说明", "Keys"),
    "help.actions": ("决策快捷键(控制台)", "Decision keys (console)"),
    "help.keymap": ("可在按键映射文件中重新绑定:{path}", "Rebind keys in the keymap file: {path}"),
    "key.begin": ("开始演练", "begin"),
    "key.pause": ("暂停/继续", "pause/run"),
    "key.step": ("单步", "step"),
    "key.faster": ("加速", "faster"),
    "key.slower": ("减速", "slower"),
    "key.autopause": ("自动暂停", "auto-pause"),
    "key.palette": ("决策面板", "decisions"),
    "key.obligations": ("待办职责", "open duties"),
    "key.feed": ("动态", "feed"),
    "key.end": ("结束演练", "end drill"),
    "key.end_now": ("在当前时刻结束演练", "end the drill at the current time"),
    "key.lang": ("切换语言(中文 ↔ English)", "switch language (English ↔ 中文)"),
    "key.help": ("帮助", "help"),
    "key.quit": ("退出", "quit"),
    "key.close": ("关闭", "close"),
    "key.next_tab": ("下一页", "next tab"),
    "key.prev_tab": ("上一页", "previous tab"),
    "key.submit": ("提交", "submit"),
    "key.cancel": ("取消", "cancel"),
    "key.yes": ("确认", "confirm"),
    "key.no": ("返回", "back"),
    # a seat of a hosted drill (drillsim join)
    "join.connecting": ("正在连接主持端…", "connecting to the host…"),
    "join.connected": ("已连接:{seat}({kind})", "connected: {seat} ({kind})"),
    "join.lost": ("与主持端的连接已断开,{s:g} 秒后重试", "lost the host; retrying in {s:g} s"),
    "join.refused": ("主持端拒绝了此席位链接({status}):请核对令牌", "the host refused this link ({status}): check the token"),
    "join.offline": ("未连接主持端", "not connected to the host"),
    "join.took": ("{seat} 作出决策:{action}({role})#{seq}", "{seat} took {action} ({role}) #{seq}"),
    "join.mine": ("★ ", "★ "),
    "join.error": ("✗ {message}", "✗ {message}"),
    "join.says": ("{seat}:{text}", "{seat}: {text}"),
    "join.rated": ("{seat} 评级 {cap}:{letter} {note}", "{seat} rated {cap}: {letter} {note}"),
    "join.ended": ("演练结束", "The drill has ended"),
    "join.score": ("{seat}:按时 {met},迟延 {late},未完成 {missed}", "{seat}: {met} met, {late} late, {missed} missed"),
    "join.online": ("在线:{names}", "online: {names}"),
    "join.end_again": ("再按一次 e 结束演练", "press e again to end the drill"),
    "join.say_hint": ("发给全体的消息,或 /step 分钟、/jump 分钟(Esc 返回)", "message to all, /step MIN, /jump MIN (Esc leaves)"),
    "join.note_hint": ("观察记录,回车保存(Esc 返回)", "an observation, Enter keeps it (Esc leaves)"),
    "join.bad_command": ("命令格式:/step 分钟 或 /jump 分钟", "expected /step MIN or /jump MIN"),
    "join.kind.player": ("受训席位", "player"),
    "join.kind.facilitator": ("导调席位", "facilitator"),
    "join.kind.evaluator": ("评估席位", "evaluator"),
    "join.indicators": ("态势指标", "Indicators"),
    "join.duties": ("待办职责(★ 本席位)", "Open duties (★ this seat's)"),
    "join.room": ("席位与各席待办", "Seats and what each owes"),
    "join.owes_none": ("无待办职责", "owes nothing now"),
    "join.more": ("另有 {n} 项", "{n} more"),
    "join.ratings": ("能力评级(r 评级)", "Capability ratings (r rates)"),
    "join.unrated": ("未评", "not rated"),
    "join.capability": ("第{chapter}章 {name}", "Ch. {chapter} {name}"),
    "rate.title": ("能力评级(HSEEP)", "Rate a capability (HSEEP)"),
    "rate.capability": ("能力(预案章节)", "Capability (plan chapter)"),
    "rate.rules": ("所含职责:{rules}", "Its duties: {rules}"),
    "rate.letter": ("评级", "Rating"),
    "rate.P": ("P 无挑战地完成", "P performed without challenges"),
    "rate.S": ("S 完成,存在一些挑战", "S performed with some challenges"),
    "rate.M": ("M 完成,存在重大挑战", "M performed with major challenges"),
    "rate.U": ("U 未能完成", "U unable to be performed"),
    "rate.note": ("评语", "Note"),
    "rate.bad": ("请选择一项能力和一个评级", "Choose a capability and a rating"),
    "key.start": ("开始", "start"),
    "key.pause_clock": ("暂停", "pause"),
    "key.command": ("命令(/step /jump)", "command (/step /jump)"),
    "key.message": ("消息", "message"),
    "key.note": ("观察记录", "note"),
    "key.rate": ("能力评级", "rate"),
}
"""Key → (Chinese, English)."""


def tr(key: str, lang: Lang, /, **values: object) -> str:
    """The UI string ``key`` in ``lang`` with its fields filled."""
    zh, en = STRINGS[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def value_label(value: object, lang: Lang) -> str:
    """An indicator value as shown: ordinal words translated, numbers and flags as they are."""
    key = f"value.{value}"
    return tr(key, lang) if isinstance(value, str) and key in STRINGS else str(value)


def clock(t: float, lang: Lang) -> str:
    """A simulated time as day (from 1) and clock time."""
    minutes = int(t)
    day, rest = divmod(minutes, int(MINUTES_PER_DAY))
    hh, mm = divmod(rest, int(MINUTES_PER_HOUR))
    return tr("clock.day", lang, day=day + 1, hh=hh, mm=mm)


def clock_short(t: float, now: float, lang: Lang) -> str:
    """A simulated time as ``HH:MM`` when it falls on the same day as ``now``, else as :func:`clock`."""
    if int(t // MINUTES_PER_DAY) != int(now // MINUTES_PER_DAY):
        return clock(t, lang)
    minutes = int(t % MINUTES_PER_DAY)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def duration(minutes: float, lang: Lang) -> str:
    """A span of minutes in the largest whole unit that fits (15 min, 4 h, 3 d)."""
    m = round(minutes)
    if m >= MINUTES_PER_DAY and m % MINUTES_PER_DAY == 0:
        return tr("dur.d", lang, d=m // int(MINUTES_PER_DAY))
    if m >= MINUTES_PER_HOUR and m % MINUTES_PER_HOUR == 0:
        return tr("dur.h", lang, h=m // int(MINUTES_PER_HOUR))
    return tr("dur.min", lang, m=m)


def countdown(minutes: float) -> str:
    """Signed hours and minutes left, e.g. ``+1:05`` or ``-0:20``; days as ``+2d03:10``."""
    sign = "-" if minutes < 0 else "+"
    total = int(abs(minutes))
    days, rest = divmod(total, int(MINUTES_PER_DAY))
    hh, mm = divmod(rest, int(MINUTES_PER_HOUR))
    return f"{sign}{days}d{hh:02d}:{mm:02d}" if days else f"{sign}{hh}:{mm:02d}"
