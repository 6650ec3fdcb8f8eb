// A seat of a hosted drill in the browser: draws what the host sends on the seat's socket, sends what
// the seat does. The host decides what the seat may do; this page only offers it.
"use strict";

const STRINGS = {
  zh: {
    lang: "English", title: "应急演练", connecting: "正在连接主持端…", connected: "已连接",
    lost: "与主持端的连接已断开,{s} 秒后重试", replaced: "此席位已在另一个窗口打开;刷新本页可收回",
    ended: "演练已结束", day: "第{day}天 {hh}:{mm}", running: "▶ 运行", paused: "‖ 暂停",
    speed: "{speed} 分钟/秒", level: "级别:{level}", warning_on: "预警中(自 {since})", warning_off: "无预警",
    duties: "待办职责", indicators: "指标", teams: "小组(人员 · 积压)", online: "在线席位", actions: "我的决策",
    start: "开始", pause: "暂停", slower: "减速", faster: "加速", step: "前进 10 分钟", end: "结束演练",
    end_sure: "结束全体的演练?", send: "发送", say_hint: "发给全体的消息,或 /step 分钟、/jump 分钟",
    note_hint: "观察记录(回车保存)", clock_hint: "/step 分钟 或 /jump 分钟:移动时钟", bad_command: "命令格式:/step 分钟 或 /jump 分钟",
    took: "{seat} 作出决策:{action}({role})#{seq}", inject: "【{kind}】{text}", mine: "★ ",
    auto: "自动应答({role}):{action}", level_change: "响应级别:{src} → {dst}({by},{rule})",
    warn_start: "预警启动({by},{rule})", warn_end: "预警结束({by},{rule})",
    rejected: "#{seq} 被拒绝:{action}——{reason}({rule})", error: "× {message}", says: "{seat}:{text}",
    score: "{seat}:按时 {met},迟延 {late},未完成 {missed}", none: "无", briefing: "情景简介",
    growth: "投诉增长", heat: "舆情热度", injuries: "人员伤害", media: "媒体关注",
    value_none: "无", value_minor: "轻伤", value_serious: "重伤", value_death: "死亡", value_regional: "区域媒体", value_national: "全国媒体",
    player: "受训席位", facilitator: "导调席位", evaluator: "评估席位",
    msel: "情景事件清单(MSEL)", fire: "立即触发", hold: "暂缓", release: "恢复", skip: "跳过",
    pending: "待发", held: "暂缓中", skipped: "已跳过", fired: "已触发", cued: "导调操作:{op}第 {index} 条情景事件",
    submit: "提交", cancel: "取消", pick_level: "选择响应级别(当前:{level})", staff_from: "调出小组", staff_to: "调入小组",
    staff_n: "人数", staff_now: "{team}:{n}人在岗", staff_bad: "请选择两个不同的小组并填写正整数人数",
    doc_text: "文件内容(中文或英文)", doc_title: "标题", doc_body: "正文", doc_contents: "文件包含的要素(勾选已写入的)",
    doc_required: "预案要求本文件包含:{elements}", doc_checked_by: "受以下规则检查:{rules}",
    doc_missing: "未包含预案要求的要素:{elements}", doc_wrong: "{level}不经以下渠道发布:{elements}",
    doc_no_text: "标题与正文均为空。", send_anyway: "仍要发送吗?", sep: "、",
    confirm_rule: "此操作涉及规则 {rule}:{text}", irreversible: "该决策不可撤回。",
    level_change: "将响应级别由 {src} 调整为 {dst}。", level_illegal: "预案不允许 {src} → {dst},系统将拒绝并计为错误决策。",
    write: "写入情景事件", write_kind: "类型", write_zh: "中文内容", write_en: "英文内容(可留空)",
    write_roles: "发给(不选则发给全体)", write_bad: "请选择类型并填写中文或英文内容",
    rate: "能力评级(HSEEP)", rate_capability: "能力(预案章节)", rate_letter: "评级", rate_note: "评语",
    rate_P: "P 无挑战地完成", rate_S: "S 完成,存在一些挑战", rate_M: "M 完成,存在重大挑战", rate_U: "U 未能完成",
    rate_bad: "请选择一项能力和一个评级", rated: "{seat} 评级:第{chapter}章 {name} — {letter}{note}",
  },
  en: {
    lang: "中文", title: "Emergency drill", connecting: "connecting to the host…", connected: "connected",
    lost: "lost the host; retrying in {s} s", replaced: "this seat was opened in another window; reload this page to take it back",
    ended: "The drill has ended", day: "Day {day} {hh}:{mm}", running: "▶ running", paused: "‖ paused",
    speed: "{speed} sim min/s", level: "Level: {level}", warning_on: "warning since {since}", warning_off: "no warning",
    duties: "Open duties", indicators: "Indicators", teams: "Teams (staff · backlog)", online: "Seats online", actions: "My decisions",
    start: "Start", pause: "Pause", slower: "Slower", faster: "Faster", step: "+10 min", end: "End the drill",
    end_sure: "End the drill for everyone?", send: "Send", say_hint: "a message to every seat, or /step MIN, /jump MIN",
    note_hint: "an observation (Enter keeps it)", clock_hint: "/step MIN or /jump MIN moves the clock", bad_command: "expected /step MIN or /jump MIN",
    took: "{seat} took {action} ({role}) #{seq}", inject: "[{kind}] {text}", mine: "★ ",
    auto: "Auto-responder ({role}): {action}", level_change: "Level: {src} → {dst} ({by}, {rule})",
    warn_start: "Warning started ({by}, {rule})", warn_end: "Warning ended ({by}, {rule})",
    rejected: "#{seq} rejected: {action} — {reason} ({rule})", error: "× {message}", says: "{seat}: {text}",
    score: "{seat}: {met} met, {late} late, {missed} missed", none: "none", briefing: "Briefing",
    growth: "complaint growth", heat: "opinion heat", injuries: "injuries", media: "media",
    value_none: "none", value_minor: "minor", value_serious: "serious", value_death: "death", value_regional: "regional", value_national: "national",
    player: "player", facilitator: "facilitator", evaluator: "evaluator",
    msel: "Injects (MSEL)", fire: "Fire now", hold: "Hold", release: "Release", skip: "Skip",
    pending: "pending", held: "held", skipped: "skipped", fired: "fired", cued: "{op}: inject {index}",
    submit: "Submit", cancel: "Cancel", pick_level: "Choose the level (now: {level})", staff_from: "From team", staff_to: "To team",
    staff_n: "People", staff_now: "{team}: {n} on duty", staff_bad: "Choose two different teams and a positive whole number",
    doc_text: "The document (Chinese or English)", doc_title: "Title", doc_body: "Text", doc_contents: "Elements the document carries (tick those written in)",
    doc_required: "The plan requires: {elements}", doc_checked_by: "Checked by: {rules}",
    doc_missing: "Missing what the plan requires: {elements}", doc_wrong: "{level} is not announced on: {elements}",
    doc_no_text: "The title and text are empty.", send_anyway: "Send it anyway?", sep: ", ",
    confirm_rule: "This touches rule {rule}: {text}", irreversible: "This decision cannot be undone.",
    level_change: "Change the level from {src} to {dst}.", level_illegal: "The plan does not allow {src} → {dst}; it will be rejected and scored wrong.",
    write: "Write an inject", write_kind: "Kind", write_zh: "Text in Chinese", write_en: "Text in English (may stay empty)",
    write_roles: "To (none ticked: everyone)", write_bad: "Choose a kind and write the text in Chinese or English",
    rate: "Rate a capability (HSEEP)", rate_capability: "Capability (plan chapter)", rate_letter: "Rating", rate_note: "Note",
    rate_P: "P performed without challenges", rate_S: "S performed with some challenges",
    rate_M: "M performed with major challenges", rate_U: "U unable to be performed",
    rate_bad: "Choose a capability and a rating", rated: "{seat} rated chapter {chapter} {name}: {letter}{note}",
  },
};
const BACKOFF_S = [0.5, 1, 2, 4, 8];
const REPLACED = 4000;
const STEP_MIN = 10;
const TOKEN = decodeURIComponent(location.pathname.split("/")[2] || "");

const state = {
  lang: sessionStorage.getItem("drillsim.lang"),
  welcome: null, view: null, running: false, speed: 1, ended: null,
  entries: [], seats: [], note: "connecting", noteValues: {}, alarm: false,
  ws: null, tries: 0, ref: 0, msel: [], names: { briefing: null, teams: {}, inject_kinds: {} },
};

const $ = (id) => document.getElementById(id);

function say(key, values = {}) {
  const text = STRINGS[state.lang || "zh"][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => String(values[k] ?? ""));
}

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

function tr(text) { return text ? text[state.lang] ?? text.en : ""; }

function clock(t) {
  const minutes = Math.floor(t);
  const day = Math.floor(minutes / 1440), rest = minutes % 1440;
  const two = (n) => String(n).padStart(2, "0");
  return say("day", { day: day + 1, hh: two(Math.floor(rest / 60)), mm: two(rest % 60) });
}

function countdown(minutes) {
  const sign = minutes < 0 ? "-" : "+";
  const total = Math.floor(Math.abs(minutes));
  const days = Math.floor(total / 1440), hh = Math.floor((total % 1440) / 60), mm = String(total % 60).padStart(2, "0");
  return days ? `${sign}${days}d${String(hh).padStart(2, "0")}:${mm}` : `${sign}${hh}:${mm}`;
}

// names from the welcome

function actionName(key) { const a = state.welcome?.actions[key]; return a ? tr(a.name) : key; }
function roleName(key) { const r = state.welcome?.role_names[key]; return r ? tr(r) : key; }
function levelName(key) { const l = state.welcome?.level_names[key]; return l ? tr(l) : key; }
function kindName(key) { const k = state.names.inject_kinds[key]; return k ? tr(k) : key.replace(/_/g, " "); }
function teamName(key) { const t = state.names.teams[key]; return t ? tr(t) : key; }
function capabilityName(chapter) { const c = state.welcome?.capabilities.find((x) => x.chapter === chapter); return c ? tr(c.name) : String(chapter); }
function elementName(key) { const e = state.welcome?.element_names[key]; return e ? tr(e) : key; }
function elementNames(keys) { return keys.map(elementName).join(say("sep")); }
function valueName(value) { const key = `value_${value}`; return key in STRINGS.en ? say(key) : String(value); }

// the connection

function connect() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const lang = state.lang ? `&lang=${state.lang}` : ""; // the host's own messages (refusals) in the seat's language
  const ws = new WebSocket(`${scheme}//${location.host}/ws?token=${encodeURIComponent(TOKEN)}${lang}`);
  state.ws = ws;
  ws.onmessage = (event) => handle(JSON.parse(event.data));
  ws.onclose = (event) => {
    if (state.ws !== ws) return;
    state.ws = null;
    if (state.ended) return status("ended");
    if (event.code === REPLACED) return status("replaced", {}, true);
    const wait = BACKOFF_S[Math.min(state.tries, BACKOFF_S.length - 1)];
    state.tries += 1;
    status("lost", { s: wait }, true);
    setTimeout(connect, wait * 1000);
  };
}

function send(message) {
  if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(message));
}

function status(key, values = {}, alarm = false) {
  state.note = key;
  state.noteValues = values;
  state.alarm = alarm;
  const bar = $("status");
  bar.textContent = say(key, values);
  bar.classList.toggle("alarm", alarm);
}

// what the host says

function handle(msg) {
  switch (msg.type) {
    case "welcome":
      state.welcome = msg;
      state.tries = 0;
      if (!state.lang) state.lang = msg.lang === "en" ? "en" : "zh";
      state.entries = []; // the host sends the whole drill again on every connection
      status("connected");
      drawAll();
      break;
    case "view":
      state.view = msg.view;
      state.running = msg.running;
      state.speed = msg.speed;
      state.documents = msg.documents ?? {};
      for (const rec of msg.view.feed) record(rec, msg.view.since === 0);
      drawView();
      break;
    case "inject": {
      const to = msg.roles?.length ? msg.roles : [msg.player];
      const mine = to.some((role) => state.welcome?.roles.includes(role));
      add(msg.t, mine ? "mine" : "inject", () => (mine ? say("mine") : "") + say("inject", { kind: kindName(msg.kind), text: tr(msg.text) }));
      break;
    }
    case "ack":
      add(msg.t, "ack", () => say("took", { seat: msg.seat, action: actionName(msg.action), role: roleName(msg.role), seq: msg.seq }));
      break;
    case "msel":
      state.msel = msg.injects;
      drawMsel();
      break;
    case "cued":
      add(msg.t, "note", () => say("cued", { op: say(msg.op === "write" ? "fire" : msg.op), index: msg.index }));
      break;
    case "error":
      add(now(), "reject", () => say("error", { message: msg.message }));
      break;
    case "message":
      add(msg.t, "note", () => say("says", { seat: msg.seat, text: msg.text }));
      break;
    case "rated":
      add(msg.t, "ack", () => say("rated", { seat: msg.seat, chapter: msg.chapter, name: capabilityName(msg.chapter), letter: msg.letter, note: msg.note ? ` · ${msg.note}` : "" }));
      break;
    case "seats":
      state.seats = msg.connected;
      $("seats").textContent = state.seats.join(", ");
      break;
    case "ended":
      state.ended = msg;
      add(now(), "level", () => say("ended"));
      for (const [seat, s] of Object.entries(msg.scores)) add(now(), "ack", () => say("score", { seat, ...s }));
      status("ended");
      drawControls();
      break;
  }
}

function record(rec, catchUp) {
  const by = () => roleName(rec.by);
  if (rec.type === "LevelChanged") {
    add(rec.t, "level", () => say("level_change", { src: levelName(rec.src), dst: levelName(rec.dst), by: by(), rule: rec.rule }));
  } else if (rec.type === "WarningChanged") {
    add(rec.t, "level", () => say(rec.active ? "warn_start" : "warn_end", { by: by(), rule: rec.rule }));
  } else if (rec.type === "DecisionMade" && rec.actor === "auto") {
    add(rec.t, "auto", () => say("auto", { role: roleName(rec.role), action: actionName(rec.action) }));
  } else if (rec.type === "DecisionMade" && catchUp) {
    add(rec.t, "ack", () => say("took", { seat: rec.actor, action: actionName(rec.action), role: roleName(rec.role), seq: rec.seq }));
  } else if (rec.type === "DecisionRejected") {
    add(rec.t, "reject", () => say("rejected", { seq: rec.seq, action: actionName(rec.action), reason: rec.reason, rule: rec.rule || "—" }));
  }
}

function now() { return state.view ? state.view.t : 0; }

function add(t, cls, text) {
  // in time order: on a new connection the view's events come before the injects that precede them
  let i = state.entries.length;
  while (i > 0 && state.entries[i - 1].t > t) i -= 1;
  state.entries.splice(i, 0, { t, cls, text });
  const feed = $("feed");
  const follow = feed.scrollTop + feed.clientHeight >= feed.scrollHeight - 8;
  feed.insertBefore(entry({ t, cls, text }), feed.children[i] ?? null);
  if (follow) feed.scrollTop = feed.scrollHeight;
}

function entry(e) {
  const li = el("li", undefined, e.cls);
  li.append(el("span", clock(e.t), "t"), el("span", e.text()));
  return li;
}

// drawing

function drawAll() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  $("lang").textContent = say("lang");
  for (const node of document.querySelectorAll("[data-s]")) node.textContent = say(node.dataset.s);
  const w = state.welcome;
  if (w) {
    $("title").textContent = `${say("title")} · ${tr(w.title)}`;
    document.title = `${w.seat} · ${tr(w.title)}`;
    const roles = w.roles.map(roleName).join("、");
    $("who").textContent = `${w.seat} · ${roles || say(w.kind)}`;
  }
  $("status").textContent = say(state.note, state.noteValues);
  $("briefing").textContent = tr(state.names.briefing);
  $("feed").replaceChildren(...state.entries.map(entry));
  $("feed").scrollTop = $("feed").scrollHeight;
  drawControls();
  drawView();
}

function drawControls() {
  const w = state.welcome;
  const solo = w && w.kind === "facilitator" && w.roles.length > 0; // drillsim serve's one seat
  const over = state.ended !== null;
  $("clockkeys").hidden = !w || w.kind !== "facilitator";
  for (const b of $("clockkeys").querySelectorAll("button")) b.disabled = over;
  const mine = w ? Object.entries(w.actions).filter(([, a]) => w.roles.includes(a.role)) : [];
  $("actions").hidden = mine.length === 0;
  $("choices").replaceChildren(
    ...mine.map(([key, a]) => {
      const b = el("button", `${tr(a.name)} · ${roleName(a.role)}`);
      b.type = "button";
      b.dataset.action = key;
      b.disabled = over;
      b.onclick = () => decide(key, a);
      return b;
    }),
  );
  $("say").hidden = !w || w.kind === "player";
  $("mselbox").hidden = !w || w.kind !== "facilitator" || solo; // serve's trainee does not see what is coming
  $("write").disabled = over;
  $("rate").hidden = !w || w.kind !== "evaluator";
  $("rate").disabled = over;
  drawMsel();
  $("text").placeholder = say(w && w.kind === "evaluator" ? "note_hint" : solo ? "clock_hint" : "say_hint");
  $("text").disabled = over;
}

function drawView() {
  const v = state.view;
  if (!v) return;
  $("clock").textContent = clock(v.t);
  $("clock").dataset.t = String(v.t);
  $("run").textContent = say(state.running ? "running" : "paused");
  $("run").className = state.running ? "running" : "paused";
  $("speed").textContent = say("speed", { speed: +state.speed.toFixed(3) });
  $("level").textContent = say("level", { level: levelName(v.level) });
  $("warning").textContent = v.warning_since === null ? say("warning_off") : say("warning_on", { since: clock(v.warning_since) });
  const roles = state.welcome?.roles ?? [];
  $("duties").replaceChildren(
    ...v.duties.slice(0, 14).map((d) => {
      const row = el("tr", undefined, (roles.includes(d.role) ? "mine " : "") + (d.due < v.t ? "late" : ""));
      row.append(el("td", d.rule), el("td", roleName(d.role || d.owner)), el("td", countdown(d.due - v.t), "num"));
      return row;
    }),
  );
  if (v.duties.length === 0) $("duties").replaceChildren(el("tr", say("none")));
  const growth = Number(v.indicators.growth_pct ?? 0);
  const shown = [
    ["growth", `${growth >= 0 ? "+" : ""}${growth.toFixed(0)}%`],
    ["heat", v.heat.toFixed(1)],
    ["injuries", valueName(v.indicators.injuries ?? "none")],
    ["media", valueName(v.indicators.media ?? "none")],
  ];
  $("indicators").replaceChildren(
    ...shown.map(([key, value]) => {
      const row = el("tr");
      row.append(el("td", say(key)), el("td", value, "num"));
      return row;
    }),
  );
  $("teams").replaceChildren(
    ...v.teams.map((t) => {
      const row = el("tr");
      row.append(el("td", teamName(t.name)), el("td", String(t.staff), "num"), el("td", String(t.backlog), "num"));
      return row;
    }),
  );
}

function drawMsel() {
  const over = state.ended !== null;
  const cue = (op, index) => {
    const b = el("button", say(op));
    b.type = "button";
    b.dataset.cue = `${op}:${index}`;
    b.disabled = over;
    b.onclick = () => { state.ref += 1; send({ type: "cue", ref: `c${state.ref}`, op, index }); };
    return b;
  };
  $("msel").replaceChildren(
    ...[...state.msel].sort((a, b) => (a.fired ?? a.at) - (b.fired ?? b.at)).map((e) => {
      const row = el("tr", undefined, e.status);
      const acts = el("td");
      if (e.status === "pending") acts.append(cue("fire", e.index), cue("hold", e.index), cue("skip", e.index));
      if (e.status === "held") acts.append(cue("fire", e.index), cue("release", e.index), cue("skip", e.index));
      const text = el("td", `${kindName(e.kind)} · ${tr({ zh: e.zh, en: e.en })}`, "text");
      text.title = tr({ zh: e.zh, en: e.en });
      row.append(el("td", clock(e.fired ?? e.at)), text, el("td", say(e.status)), acts);
      return row;
    }),
  );
}

// what the seat does: a decision's form, as the terminal seat's (a level, a staff move, a document)

const LEVEL_ACTION = "declare_level";
const STAFF_ACTION = "move_staff";

function decide(key, info) {
  if (key === LEVEL_ACTION) return openForm(key, info, levelFields, levelDraft);
  if (key === STAFF_ACTION) return openForm(key, info, staffFields, staffDraft);
  if (info.contents.length) return openForm(key, info, () => documentFields(key, info), () => documentDraft(key, info));
  if (info.confirm_rule && !confirm(say("confirm_rule", { rule: info.confirm_rule, text: say("irreversible") }))) return;
  submitDecision(key, info, {});
}

function submitDecision(key, info, draft) {
  state.ref += 1;
  send({ type: "decide", ref: `r${state.ref}`, action: key, role: info.role, params: draft.params ?? {}, contents: draft.contents ?? [], text: draft.text ?? {} });
}

function openForm(key, info, fields, collect) {
  showForm(actionName(key), fields, collect, (draft) => submitDecision(key, info, draft));
}

// a form in the page's dialog: its fields, what it collects (or a message saying what is wrong), what it sends
function showForm(title, fields, collect, done) {
  $("formtitle").textContent = title;
  $("formerror").textContent = "";
  $("fields").replaceChildren(...fields());
  $("formbody").onsubmit = (event) => {
    event.preventDefault();
    const draft = collect();
    if (typeof draft === "string") { $("formerror").textContent = draft; return; }
    if (draft.ask && !confirm(draft.ask)) return;
    $("form").close();
    done(draft);
  };
  $("cancel").onclick = () => $("form").close();
  $("form").showModal();
}

// the facilitator writes an inject of its own: it fires at once, journaled and scored like the scenario's

function writeInject() {
  showForm(say("write"), writeFields, writeDraft, (draft) => {
    state.ref += 1;
    send({ type: "write", ref: `w${state.ref}`, ...draft });
  });
}

function writeFields() {
  const kind = el("select");
  kind.id = "write-kind";
  kind.append(el("option", ""), ...Object.keys(state.names.inject_kinds).map((k) => {
    const option = el("option", kindName(k));
    option.value = k;
    return option;
  }));
  const zh = el("textarea");
  zh.id = "write-zh";
  const en = el("textarea");
  en.id = "write-en";
  for (const box of [zh, en]) box.maxLength = 2000;
  const roles = Object.keys(state.welcome.role_names).map((r) => {
    const box = el("input");
    box.type = "checkbox";
    box.dataset.role = r;
    const label = el("label", undefined, "choice");
    label.append(box, el("span", roleName(r)));
    return label;
  });
  return [labelled(say("write_kind"), kind), labelled(say("write_zh"), zh), labelled(say("write_en"), en), el("h3", say("write_roles")), ...roles];
}

// the evaluator rates a capability (a chapter of the plan the drill tests), HSEEP's P, S, M or U, with a note

const LETTERS = ["P", "S", "M", "U"];

function rateCapability() {
  showForm(say("rate"), rateFields, rateDraft, (draft) => send({ type: "rate", ...draft }));
}

function rateFields() {
  const pick = el("select");
  pick.id = "rate-chapter";
  pick.append(el("option", ""), ...state.welcome.capabilities.map((c) => {
    const option = el("option", `${c.chapter} ${tr(c.name)} (${c.rules.join(", ")})`);
    option.value = String(c.chapter);
    return option;
  }));
  const letters = LETTERS.map((letter) => {
    const radio = el("input");
    radio.type = "radio";
    radio.name = "letter";
    radio.value = letter;
    const label = el("label", undefined, "choice");
    label.append(radio, el("span", say(`rate_${letter}`)));
    return label;
  });
  const note = el("textarea");
  note.id = "rate-note";
  note.maxLength = 2000;
  return [labelled(say("rate_capability"), pick), el("h3", say("rate_letter")), ...letters, labelled(say("rate_note"), note)];
}

function rateDraft() {
  const chapter = $("rate-chapter").value, letter = document.querySelector("#fields input[name=letter]:checked");
  if (!chapter || !letter) return say("rate_bad");
  return { chapter: Number(chapter), letter: letter.value, note: $("rate-note").value.trim() };
}

function writeDraft() {
  const kind = $("write-kind").value, zh = $("write-zh").value.trim(), en = $("write-en").value.trim();
  if (!kind || !(zh || en)) return say("write_bad");
  const roles = [...document.querySelectorAll("#fields input[data-role]")].filter((b) => b.checked).map((b) => b.dataset.role);
  return { kind, zh, en, roles };
}

function labelled(text, control) {
  const label = el("label", undefined, "field");
  label.append(el("span", text), control);
  return label;
}

function levelFields() {
  const now = state.view?.level;
  return [
    el("p", say("pick_level", { level: levelName(now) })),
    ...state.welcome.levels.map((lv) => {
      const radio = el("input");
      radio.type = "radio";
      radio.name = "level";
      radio.value = lv;
      radio.checked = lv === now;
      const label = el("label", undefined, "choice");
      label.append(radio, el("span", levelName(lv)));
      return label;
    }),
  ];
}

function levelDraft() {
  const chosen = document.querySelector("#fields input[name=level]:checked");
  if (!chosen) return say("pick_level", { level: levelName(state.view?.level) });
  const src = state.view?.level, dst = chosen.value;
  const rule = state.welcome.actions[LEVEL_ACTION]?.confirm_rule;
  const allowed = state.welcome.transitions[src]?.[dst];
  const names = { src: levelName(src), dst: levelName(dst) };
  const text = allowed ? say("level_change", names) : say("level_illegal", names);
  return { params: { level: dst }, ask: say("confirm_rule", { rule: rule || allowed || "", text }) };
}

function staffFields() {
  const teams = state.view?.teams ?? [];
  const pick = (id) => {
    const select = el("select");
    select.id = id;
    select.append(el("option", ""), ...teams.map((t) => {
      const option = el("option", say("staff_now", { team: teamName(t.name), n: t.staff }));
      option.value = t.name;
      return option;
    }));
    return select;
  };
  const n = el("input");
  n.id = "staff-n";
  n.type = "number";
  n.min = "1";
  n.step = "1";
  return [labelled(say("staff_from"), pick("staff-src")), labelled(say("staff_to"), pick("staff-dst")), labelled(say("staff_n"), n)];
}

function staffDraft() {
  const src = $("staff-src").value, dst = $("staff-dst").value, n = $("staff-n").value.trim();
  if (!src || !dst || src === dst || !/^[0-9]+$/.test(n) || Number(n) <= 0) return say("staff_bad");
  return { params: { src, dst, n } };
}

function documentFields(key, info) {
  const out = [];
  const rules = state.welcome.checked_by[key] ?? [];
  if (rules.length) out.push(el("p", say("doc_checked_by", { rules: rules.join(", ") }), "note"));
  const title = el("input");
  title.id = "doc-title";
  title.maxLength = 2000;
  const body = el("textarea");
  body.id = "doc-body";
  body.maxLength = 2000;
  out.push(el("h3", say("doc_text")), labelled(say("doc_title"), title), labelled(say("doc_body"), body), el("h3", say("doc_contents")));
  const required = state.documents[key]?.required ?? [];
  if (required.length) out.push(el("p", say("doc_required", { elements: elementNames(required) }), "note"));
  for (const element of info.contents) {
    const box = el("input");
    box.type = "checkbox";
    box.dataset.element = element;
    const label = el("label", undefined, "choice");
    label.append(box, el("span", elementName(element)));
    out.push(label);
  }
  return out;
}

function documentDraft(key, info) {
  const ticked = info.contents.filter((e) => document.querySelector(`#fields input[data-element="${e}"]`).checked);
  const text = {};
  for (const [field, id] of [["title", "doc-title"], ["body", "doc-body"]]) {
    const value = $(id).value.trim();
    if (value) text[field] = value;
  }
  // what the host says this document must carry now (one rule, worked out by the host)
  const needs = state.documents[key] ?? { required: [], only: false };
  const missing = needs.required.filter((e) => !ticked.includes(e));
  const wrong = needs.only ? ticked.filter((e) => !needs.required.includes(e)) : [];
  const lines = [];
  if (missing.length) lines.push(say("doc_missing", { elements: elementNames(missing) }));
  if (wrong.length) lines.push(say("doc_wrong", { level: levelName(state.view?.level), elements: elementNames(wrong) }));
  if (!Object.keys(text).length) lines.push(say("doc_no_text"));
  return { contents: ticked, text, ask: lines.length ? [...lines, say("send_anyway")].join("\n") : null };
}

function control(op, value) { send(value === undefined ? { type: "control", op } : { type: "control", op, value }); }

function submitText(event) {
  event.preventDefault();
  const input = $("text");
  const text = input.value.trim();
  if (!text || !state.welcome) return;
  input.value = "";
  if (state.welcome.kind === "evaluator") return send({ type: "observe", text });
  if (!text.startsWith("/")) return send({ type: "say", text });
  const [op, arg] = text.slice(1).split(/\s+/, 2);
  const value = Number(arg);
  if ((op !== "step" && op !== "jump") || !(value >= 0)) return add(now(), "reject", () => say("bad_command"));
  control(op, value);
}

async function setup() {
  $("start").onclick = () => control("start");
  $("pause").onclick = () => control("pause");
  $("slower").onclick = () => control("speed", state.speed / 2);
  $("faster").onclick = () => control("speed", state.speed * 2);
  $("step").onclick = () => control("step", STEP_MIN);
  $("end").onclick = () => { if (confirm(say("end_sure"))) control("end"); };
  $("say").onsubmit = submitText;
  $("write").onclick = writeInject;
  $("rate").onclick = rateCapability;
  $("lang").onclick = () => {
    state.lang = state.lang === "zh" ? "en" : "zh";
    sessionStorage.setItem("drillsim.lang", state.lang);
    send({ type: "lang", lang: state.lang }); // the host's own messages (refusals) follow the seat's language
    drawAll();
  };
  drawAll();
  const names = await fetch("names.json").then((r) => (r.ok ? r.json() : null)).catch(() => null);
  if (names) state.names = names;
  drawAll();
  connect();
}

setup();
