// The plan editor's YAML writer: the form's plain object (the server's `plan_form`) to the
// text of a plan (docs/plan-format.md), which the server reads back with its loader.
//
// No DOM here, so `node --test` runs it (tests/js/plan-yaml.test.mjs) and a Python test
// parses its output with the loader itself (tests/plans/test_plan_yaml.py).

// What a stage of each activity type holds comes from the server's activity registry
// (plans/views.py `editor_types`: name, plan_fields, min_items, always_comments), so no
// type is named here.

/** Characters per comment when a stage gives no max_length (plans/model.py). */
const DEFAULT_MAX_LENGTH = "280";

// Scalars ------------------------------------------------------------------------------

// Words a YAML 1.1 reader takes for a boolean or null (PyYAML reads all but y and n so; the
// YAML 1.1 spec, and so other readers, those too). As values they are always quoted.
const RESERVED = /^(y|n|yes|no|true|false|on|off|null|~)$/i;
// Text written bare: it starts with a letter (so no indicator, number, date or empty
// string) and holds none of `: #` nor quotes at the start nor anything else YAML reads.
const PLAIN = /^[A-Za-z][A-Za-z0-9 _.,'()/&?!\u2013\u2014\u2019-]*$/;
// Field names are written bare when PLAIN allows: the plan format's own (`x`, `y`), stage
// keys and sector names in `translations`. Only the words PyYAML would not read as a string
// are quoted; `y` and `n`, which it reads as text, stay bare as the format writes them.
const NOT_A_STRING_KEY = /^(yes|no|true|false|on|off|null)$/i;
// Characters JSON leaves raw that a YAML reader refuses (C1 controls, non-characters) or
// reads as a line break (NEL, LS, PS); a BOM is only safe escaped too.
const UNSAFE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;
// A literal block keeps text as written, so it may hold tabs and newlines but nothing the
// reader refuses or reads as a line break of its own (a carriage return included).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const BLOCK_SAFE = /^[^\0-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]*$/;

/** A double-quoted YAML scalar: JSON's escapes are YAML's, plus the few JSON leaves raw. */
function quoted(text) {
  const escape = (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  return JSON.stringify(text).replace(UNSAFE, escape);
}

function scalar(value) {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    return Number.isFinite(value) ? String(value) : quoted(String(value));
  }
  const text = String(value);
  if (PLAIN.test(text) && !RESERVED.test(text) && !/\s$/.test(text)) return text;
  return quoted(text);
}

function key(name) {
  const bare = PLAIN.test(name) && !NOT_A_STRING_KEY.test(name) && !/\s$/.test(name);
  return bare ? name : quoted(name);
}

/** Text of several lines, written as a literal block (`|-`) the way a person would. */
function isBlock(value) {
  if (typeof value !== "string" || !value.includes("\n")) return false;
  // Leading whitespace would set the block's indentation: such text is quoted instead.
  return !/^\s/.test(value) && BLOCK_SAFE.test(value);
}

function isMap(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// Collections --------------------------------------------------------------------------

function emitMap(object, pad) {
  const lines = [];
  for (const [name, value] of Object.entries(object)) {
    if (value === undefined) continue;
    const head = `${pad}${key(name)}:`;
    if (Array.isArray(value)) {
      if (!value.length) lines.push(`${head} []`);
      else lines.push(head, ...emitList(value, `${pad}  `));
    } else if (isMap(value)) {
      // `key:` alone would be null, which the loader refuses where it wants a mapping.
      const inner = emitMap(value, `${pad}  `);
      if (!inner.length) lines.push(`${head} {}`);
      else lines.push(head, ...inner);
    } else if (isBlock(value)) {
      // Trailing spaces are invisible in the form and in the YAML tab alike: they go.
      lines.push(`${head} |-`);
      for (const line of value.replace(/\s+$/, "").split("\n")) {
        lines.push(line.trim() ? `${pad}  ${line.replace(/\s+$/, "")}` : "");
      }
    } else {
      lines.push(`${head} ${scalar(value)}`);
    }
  }
  return lines;
}

/** An entry's lines at `pad + 2`, its first line moved up beside the dash. */
function entry(pad, inner, empty) {
  if (!inner.length) return [`${pad}- ${empty}`];
  return [`${pad}- ${inner[0].slice(pad.length + 2)}`, ...inner.slice(1)];
}

function emitList(list, pad) {
  const lines = [];
  for (const value of list) {
    if (isMap(value)) lines.push(...entry(pad, emitMap(value, `${pad}  `), "{}"));
    else if (Array.isArray(value)) lines.push(...entry(pad, emitList(value, `${pad}  `), "[]"));
    else lines.push(`${pad}- ${scalar(value)}`);
  }
  return lines;
}

/** The YAML text of a mapping of strings, numbers, booleans, lists and mappings. */
export function dump(object) {
  if (!isMap(object)) throw new TypeError("dump() writes a mapping");
  return `${emitMap(object, "").join("\n")}\n`;
}

// The form's plan to the plan format ----------------------------------------------------

/** A whole number from a field, or its text (which the loader then reports). */
function setNumber(target, name, value) {
  if (value === null || value === undefined) return;
  const text = String(value).trim();
  if (!text) return;
  target[name] = /^-?\d+$/.test(text) ? Number.parseInt(text, 10) : text;
}

function textOf(value) {
  return (value || "").replace(/\r\n?/g, "\n");
}

function itemDoc(item) {
  const doc = {};
  if (textOf(item.key).trim()) doc.key = item.key.trim();
  doc.label = textOf(item.label);
  if (textOf(item.description).trim()) doc.description = textOf(item.description);
  return doc;
}

function scaleDoc(scale) {
  const doc = {};
  setNumber(doc, "min", scale.min);
  setNumber(doc, "max", scale.max);
  if (textOf(scale.min_label).trim()) doc.min_label = textOf(scale.min_label);
  if (textOf(scale.max_label).trim()) doc.max_label = textOf(scale.max_label);
  return doc;
}

function axesDoc(axes) {
  const doc = {};
  for (const name of ["x", "y"]) {
    const axis = {};
    for (const part of ["label", "low", "high"]) {
      if (textOf(axes[name][part]).trim()) axis[part] = textOf(axes[name][part]);
    }
    doc[name] = axis;
  }
  return doc;
}

// The stage fields an activity type may read (its `plan_fields`), in the order written.
const TYPE_FIELDS = {
  items: (doc, stage, kind) => {
    // A type that needs items gets `items: []` when it has none, for the loader to report.
    if (stage.items.length || kind.min_items > 0) doc.items = stage.items.map(itemDoc);
  },
  multiple: (doc, stage) => {
    if (stage.multiple) doc.multiple = true;
  },
  scale: (doc, stage) => {
    doc.scale = scaleDoc(stage.scale);
  },
  points: (doc, stage) => setNumber(doc, "points", stage.points),
  axes: (doc, stage) => {
    doc.axes = axesDoc(stage.axes);
  },
  size: (doc, stage) => setNumber(doc, "size", stage.size),
  max_words: (doc, stage) => setNumber(doc, "max_words", stage.max_words),
  deck: (doc, stage) => {
    if (textOf(stage.deck).trim()) doc.deck = stage.deck.trim();
  },
  // [first, last], either may be empty: "3" for one page, "2-5" for a range, none for all.
  pages: (doc, stage) => {
    const [first, last] = (stage.pages || []).map((value) => String(value ?? "").trim());
    if (!first && !last) return;
    const from = first || "1";
    if (last && last !== from) doc.pages = `${from}-${last}`;
    else setNumber(doc, "pages", from);
  },
  // Not edited by the form: written back as the plan had it (true, the default, is left out).
  opinion_groups: (doc, stage) => {
    const value = stage.opinion_groups;
    if (value === false || (value && typeof value === "object")) doc.opinion_groups = value;
  },
};

/** A type the registry does not know: the loader reports it; write the common fields. */
const UNKNOWN_TYPE = { plan_fields: [], min_items: null, always_comments: false };

function stageDoc(stage, kind) {
  const doc = {
    key: textOf(stage.key).trim(),
    title: textOf(stage.title),
    prompt: textOf(stage.prompt),
    type: stage.type,
  };
  if (textOf(stage.body).trim()) doc.body = textOf(stage.body);
  if (stage.comments && !kind.always_comments) doc.comments = true;
  setNumber(doc, "timer", stage.timer);
  const commented = kind.always_comments || stage.comments;
  if (commented && String(stage.max_length).trim() !== DEFAULT_MAX_LENGTH) {
    setNumber(doc, "max_length", stage.max_length);
  }
  for (const [name, write] of Object.entries(TYPE_FIELDS)) {
    if (kind.plan_fields.includes(name)) write(doc, stage, kind);
  }
  return doc;
}

function scenarioDoc(scenario) {
  const doc = {
    key: textOf(scenario.key).trim(),
    title: textOf(scenario.title),
    summary: textOf(scenario.summary),
  };
  for (const part of ["data", "sharing", "anonymisation"]) {
    if (textOf(scenario[part]).trim()) doc[part] = textOf(scenario[part]);
  }
  return doc;
}

function themeDoc(theme) {
  if (!theme) return null;
  const doc = {};
  if (textOf(theme.accent).trim()) doc.accent = theme.accent.trim();
  if (theme.mode && theme.mode !== "light") doc.mode = theme.mode;
  if (textOf(theme.logo).trim()) doc.logo = theme.logo.trim();
  return Object.keys(doc).length ? doc : null;
}

// How the plan runs as a self-paced run (plans/model.SelfPaced): every setting is true
// unless the plan says otherwise, so only the ones turned off are written.
const SELF_PACED = ["results", "comments", "approve_comments", "profile"];

function selfPacedDoc(selfPaced) {
  if (!selfPaced) return null;
  const doc = {};
  for (const name of SELF_PACED) {
    if (selfPaced[name] === false) doc[name] = false;
  }
  return Object.keys(doc).length ? doc : null;
}

function planDoc(plan, kinds) {
  const doc = {
    title: textOf(plan.title),
    description: textOf(plan.description),
    privacy_notice: textOf(plan.privacy_notice),
  };
  setNumber(doc, "retention_days", plan.retention_days);
  setNumber(doc, "min_group_size", plan.min_group_size);
  doc.sectors = plan.sectors.map(textOf);
  if (plan.tables.length) doc.tables = plan.tables.map(textOf);
  const moderation = { profanity_filter: !!plan.moderation.profanity_filter };
  setNumber(moderation, "word_limit", plan.moderation.word_limit);
  doc.moderation = moderation;
  // How stages run and how the projector looks: written only when not the defaults.
  if (plan.flow && (plan.flow.input !== "on_show" || plan.flow.reveal !== "next_press")) {
    doc.flow = { input: plan.flow.input, reveal: plan.flow.reveal };
  }
  const theme = themeDoc(plan.theme);
  if (theme) doc.theme = theme;
  const selfPaced = selfPacedDoc(plan.self_paced);
  if (selfPaced) doc.self_paced = selfPaced;
  if (plan.scenarios.length) doc.scenarios = plan.scenarios.map(scenarioDoc);
  doc.stages = plan.stages.map((stage) => stageDoc(stage, kinds.get(stage.type) || UNKNOWN_TYPE));
  // Which stages are the framework's tests and features, as the loader read it: the form
  // does not edit it either, and a save must keep it (a stage renamed or removed in the
  // form is then the loader's to report, with its line).
  if (plan.framework && Object.keys(plan.framework).length) doc.framework = plan.framework;
  // The other languages' text, as the loader read it (plain data keyed like the YAML): the
  // form does not edit it, but a save from the form must not drop it.
  if (plan.translations && Object.keys(plan.translations).length) {
    doc.translations = plan.translations;
  }
  return doc;
}

/**
 * The YAML text of the plan the form holds. `types` describes every activity type, as
 * the server's `editor_types` sends it: [{name, plan_fields, min_items, always_comments}].
 */
export function toYaml(plan, types) {
  return dump(planDoc(plan, new Map(types.map((kind) => [kind.name, kind]))));
}
