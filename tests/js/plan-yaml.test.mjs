// The plan editor's YAML writer (static/js/plan-yaml.js), run by `node --test` (make test-js).
// What the text means to the server is checked by tests/plans/test_plan_yaml.py, which
// reads it back with the loader; here, the exact text a person sees in the YAML tab.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { dump, toYaml } from "../../static/js/plan-yaml.js";

/** How `value` is written as the value of a field. */
const written = (value) => dump({ v: value }).slice("v: ".length, -1);

describe("text written bare", () => {
  for (const text of ["Health", "Data for public benefit", "It's fine", "Who, what & why?", "No.", "Well-being", "A/B", "e5"]) {
    test(JSON.stringify(text), () => assert.equal(written(text), text));
  }
});

describe("text quoted, so it stays text", () => {
  const cases = {
    "a colon and a space": ["Risk: high", '"Risk: high"'],
    "a colon alone": ["10:30", '"10:30"'],
    "a leading dash": ["- not a list", '"- not a list"'],
    "a leading dash without a space": ["-5 points", '"-5 points"'],
    "a comment sign": ["#1 priority", '"#1 priority"'],
    "a comment sign after a space": ["Item #1", '"Item #1"'],
    "double quotes": ['Say "yes"', '"Say \\"yes\\""'],
    "a leading single quote": ["'quoted'", "\"'quoted'\""],
    "a backslash": ["C:\\data", '"C:\\\\data"'],
    "an empty string": ["", '""'],
    "a leading space": [" padded", '" padded"'],
    "a trailing space": ["padded ", '"padded "'],
    "a tab": ["a\tb", '"a\\tb"'],
    "an accent (kept as written)": ["Café", '"Café"'],
    "Welsh": ["Iechyd a gofal", "Iechyd a gofal"],
    "Welsh with a circumflex": ["Ŵyr", '"Ŵyr"'],
    "an emoji": ["Yes 👍", '"Yes 👍"'],
    "an anchor sign": ["&anchor", '"&anchor"'],
    "an alias sign": ["*alias", '"*alias"'],
    "a tag sign": ["!tag", '"!tag"'],
    "a flow list": ["[a, b]", '"[a, b]"'],
    "a flow mapping": ["{a: b}", '"{a: b}"'],
    "a percent sign": ["%YAML", '"%YAML"'],
    "a back quote": ["`code`", '"`code`"'],
    "a pipe": ["| block", '"| block"'],
    "a merge key": ["<<", '"<<"'],
    "a document marker": ["---", '"---"'],
  };
  for (const [name, [text, yaml]] of Object.entries(cases)) {
    test(name, () => assert.equal(written(text), yaml));
  }
});

describe("text that a YAML reader would take for something else", () => {
  const words = ["yes", "No", "TRUE", "false", "on", "Off", "null", "Null", "~", "y", "N"];
  for (const word of words) {
    test(`${word} is quoted`, () => assert.equal(written(word), `"${word}"`));
  }
  const numbers = ["12", "-3", "+4", "1.5", ".5", "1e3", "0x1F", "0o17", "1_000", ".inf", "-.Inf", ".NaN", "2024-05-01", "12:30:00"];
  for (const number of numbers) {
    test(`${number} is quoted`, () => assert.equal(written(number), `"${number}"`));
  }
});

describe("characters a YAML reader refuses raw or reads as a line break", () => {
  const cases = {
    "a control character": ["a\u0001b", '"a\\u0001b"'],
    DEL: ["a\u007fb", '"a\\u007fb"'],
    "a C1 control character": ["a\u0080b", '"a\\u0080b"'],
    "next line (NEL)": ["a\u0085b", '"a\\u0085b"'],
    "line separator": ["a\u2028b", '"a\\u2028b"'],
    "paragraph separator": ["a\u2029b", '"a\\u2029b"'],
    "a byte order mark": ["\ufeffa", '"\\ufeffa"'],
    "a non-character": ["a\uffffb", '"a\\uffffb"'],
    "a carriage return": ["a\rb", '"a\\rb"'],
  };
  for (const [name, [text, yaml]] of Object.entries(cases)) {
    test(name, () => assert.equal(written(text), yaml));
  }
});

describe("text of several lines", () => {
  test("is a literal block, indented under its field", () => {
    assert.equal(dump({ body: "First line.\nSecond: line # not a comment" }), "body: |-\n  First line.\n  Second: line # not a comment\n");
  });

  test("keeps blank lines and deeper indentation, drops trailing spaces", () => {
    assert.equal(dump({ body: "One\n\n  indented  \nTwo   \n\n" }), "body: |-\n  One\n\n    indented\n  Two\n");
  });

  test("inside a list entry is indented under its own field", () => {
    assert.equal(dump({ items: [{ label: "A", description: "x\ny" }] }), "items:\n  - label: A\n    description: |-\n      x\n      y\n");
  });

  test("that starts with a space or a newline is quoted (a block would lose it)", () => {
    assert.equal(written("  a\nb"), '"  a\\nb"');
    assert.equal(written("\nb"), '"\\nb"');
  });

  test("with a carriage return or a line separator is quoted", () => {
    assert.equal(written("a\r\nb"), '"a\\r\\nb"');
    assert.equal(written("a\n\u2028b"), '"a\\n\\u2028b"');
  });

  test("in a list is quoted: an entry is one line", () => {
    assert.equal(dump({ sectors: ["a\nb"] }), 'sectors:\n  - "a\\nb"\n');
  });
});

describe("numbers, booleans and null", () => {
  test("are written bare", () => {
    assert.equal(dump({ a: 3, b: -7, c: 2.5, d: true, e: false, f: null }), "a: 3\nb: -7\nc: 2.5\nd: true\ne: false\nf: null\n");
  });

  test("a number that is not finite is text", () => {
    assert.equal(written(Number.NaN), '"NaN"');
  });

  test("an undefined field is left out", () => {
    assert.equal(dump({ a: 1, b: undefined, c: 2 }), "a: 1\nc: 2\n");
  });
});

describe("nesting", () => {
  test("mappings in mappings", () => {
    assert.equal(dump({ axes: { x: { label: "Benefit" }, y: { low: "Low", high: "High" } } }), "axes:\n  x:\n    label: Benefit\n  y:\n    low: Low\n    high: High\n");
  });

  test("mappings in lists start beside the dash", () => {
    assert.equal(dump({ stages: [{ key: "a", items: [{ label: "One" }, { label: "Two" }] }] }), "stages:\n  - key: a\n    items:\n      - label: One\n      - label: Two\n");
  });

  test("lists in lists", () => {
    assert.equal(dump({ grid: [[1, 2], ["a"]] }), "grid:\n  - - 1\n    - 2\n  - - a\n");
  });

  test("a mapping entry whose first field is a list", () => {
    assert.equal(dump({ list: [{ items: ["a"], key: "k" }] }), "list:\n  - items:\n      - a\n    key: k\n");
  });
});

describe("empty collections", () => {
  test("an empty list is []", () => {
    assert.equal(dump({ tables: [] }), "tables: []\n");
  });

  test("an empty mapping is {} (a bare field would be null)", () => {
    assert.equal(dump({ scale: {} }), "scale: {}\n");
    assert.equal(dump({ axes: { x: {}, y: { low: "Low" } } }), "axes:\n  x: {}\n  y:\n    low: Low\n");
  });

  test("empty entries of a list", () => {
    assert.equal(dump({ list: [{}, [], ""] }), 'list:\n  - {}\n  - []\n  - ""\n');
  });
});

describe("field names", () => {
  test("the plan format's names are bare, x and y included", () => {
    assert.equal(dump({ min_label: "a", x: 1, y: 2 }), "min_label: a\nx: 1\ny: 2\n");
  });

  test("stage keys and sector names (as translations use them) are bare", () => {
    assert.equal(dump({ "stage-1": 1, "Social care": 2 }), "stage-1: 1\nSocial care: 2\n");
  });

  test("names a reader would not take for text are quoted", () => {
    assert.equal(dump({ yes: 1, "a: b": 2, "": 3, "1": 4, "pad ": 5 }), '"1": 4\n"yes": 1\n"a: b": 2\n"": 3\n"pad ": 5\n');
  });

  test("only a mapping can be dumped", () => {
    assert.throws(() => dump(["a"]), TypeError);
    assert.throws(() => dump("a"), TypeError);
  });
});

// The form's plan, as plan_form() sends it and the editor completes it.
function formPlan(stages = []) {
  return {
    title: "Plan",
    description: "What for.",
    privacy_notice: "What is kept.",
    retention_days: 30,
    min_group_size: 3,
    sectors: ["Health"],
    tables: [],
    moderation: { profanity_filter: false, word_limit: null },
    scenarios: [],
    stages,
  };
}

function formStage(fields) {
  return {
    key: "s",
    title: "Stage",
    prompt: "Go",
    type: "info",
    body: "",
    comments: false,
    timer: null,
    items: [],
    multiple: false,
    scale: { min: 1, max: 5, min_label: "", max_label: "" },
    max_length: 280,
    points: 10,
    axes: { x: { label: "Benefit", low: "Low", high: "High" }, y: { label: "Risk", low: "Low", high: "High" } },
    size: 5,
    max_words: 3,
    ...fields,
  };
}

// The activity registry's description of each type, as plans/views.py editor_types sends it.
const TYPES = [
  { name: "info", plan_fields: [], min_items: null, always_comments: false },
  { name: "choice", plan_fields: ["items", "multiple"], min_items: 2, always_comments: false },
  { name: "rating", plan_fields: ["items", "scale"], min_items: 1, always_comments: false },
  { name: "open_text", plan_fields: [], min_items: null, always_comments: true },
  { name: "points", plan_fields: ["items", "points"], min_items: 2, always_comments: false },
  { name: "grid", plan_fields: ["items", "axes", "size"], min_items: 0, always_comments: false },
  { name: "word_cloud", plan_fields: ["max_words"], min_items: null, always_comments: false },
  { name: "statements", plan_fields: [], min_items: null, always_comments: true },
  { name: "slides", plan_fields: ["deck", "pages"], min_items: null, always_comments: false },
];

const HEAD = "title: Plan\ndescription: What for.\nprivacy_notice: What is kept.\nretention_days: 30\nmin_group_size: 3\n";

describe("toYaml: the form's plan", () => {
  test("writes the plan's fields, tables and scenarios only when there are some", () => {
    assert.equal(
      toYaml(formPlan([formStage()]), TYPES),
      `${HEAD}sectors:\n  - Health\nmoderation:\n  profanity_filter: false\nstages:\n  - key: s\n    title: Stage\n    prompt: Go\n    type: info\n`,
    );
  });

  test("writes tables, a word limit and scenarios with their optional parts", () => {
    const plan = formPlan([]);
    plan.tables = ["Table 1", "Table 2"];
    plan.moderation = { profanity_filter: true, word_limit: "40" };
    plan.scenarios = [{ key: " gp ", title: "GP records", summary: "Shared: with whom?", data: "", sharing: "NHS", anonymisation: " " }];
    assert.equal(
      toYaml(plan, TYPES),
      `${HEAD}sectors:\n  - Health\ntables:\n  - Table 1\n  - Table 2\nmoderation:\n  profanity_filter: true\n  word_limit: 40\n` +
        'scenarios:\n  - key: gp\n    title: GP records\n    summary: "Shared: with whom?"\n    sharing: NHS\nstages: []\n',
    );
  });

  test("a number field holding text is written as that text, for the loader to report", () => {
    const plan = formPlan([]);
    plan.retention_days = "thirty";
    plan.min_group_size = "";
    assert.match(toYaml(plan, TYPES), /\nretention_days: thirty\nsectors:/);
  });

  test("text typed with Windows line ends is written with plain newlines", () => {
    const plan = formPlan([]);
    plan.description = "One\r\nTwo\rThree";
    assert.match(toYaml(plan, TYPES), /\ndescription: \|-\n {2}One\n {2}Two\n {2}Three\n/);
  });

  test("a rating stage: its items, and a scale written even when empty", () => {
    const stage = formStage({ type: "rating", items: [{ key: "", label: "Trust", description: "" }] });
    stage.scale = { min: "", max: " ", min_label: "", max_label: "" };
    const yaml = toYaml(formPlan([stage]), TYPES);
    assert.match(yaml, /\n {4}items:\n {6}- label: Trust\n {4}scale: \{\}\n$/);
  });

  test("a slides stage: its deck, and its pages as one page, a range or none", () => {
    const pages = (first, last) => {
      const stage = formStage({ type: "slides", deck: " framework.pdf ", pages: [first, last] });
      return toYaml(formPlan([stage]), TYPES).split("    type: slides\n")[1];
    };
    assert.equal(pages("", ""), "    deck: framework.pdf\n");
    assert.equal(pages(" 3 ", ""), "    deck: framework.pdf\n    pages: 3\n");
    assert.equal(pages(4, 4), "    deck: framework.pdf\n    pages: 4\n");
    assert.equal(pages("", "4"), '    deck: framework.pdf\n    pages: "1-4"\n');
    assert.equal(pages(2, 5), '    deck: framework.pdf\n    pages: "2-5"\n');
    const none = formStage({ type: "slides", deck: "", pages: ["", ""] });
    assert.match(toYaml(formPlan([none]), TYPES), /type: slides\n$/);  // the loader says it is required
  });

  test("a rating scale with labels", () => {
    const stage = formStage({ type: "rating", items: [{ key: "t", label: "Trust", description: "How far?" }] });
    stage.scale = { min: 0, max: "10", min_label: "Not at all", max_label: "Fully" };
    assert.match(
      toYaml(formPlan([stage]), TYPES),
      /\n {6}- key: t\n {8}label: Trust\n {8}description: How far\?\n {4}scale:\n {6}min: 0\n {6}max: 10\n {6}min_label: Not at all\n {6}max_label: Fully\n$/,
    );
  });

  test("a grid with no items leaves items out; its axes and size are written", () => {
    const stage = formStage({ type: "grid", size: "7" });
    stage.axes.y.label = "";
    assert.match(
      toYaml(formPlan([stage]), TYPES),
      /\n {4}type: grid\n {4}axes:\n {6}x:\n {8}label: Benefit\n {8}low: Low\n {8}high: High\n {6}y:\n {8}low: Low\n {8}high: High\n {4}size: 7\n$/,
    );
  });

  test("a choice stage with no options still writes items: [] for the loader to report", () => {
    const yaml = toYaml(formPlan([formStage({ type: "choice", multiple: true })]), TYPES);
    assert.match(yaml, /\n {4}items: \[\]\n {4}multiple: true\n$/);
  });

  test("comment types always take comments: no comments field, max_length only when not 280", () => {
    assert.match(toYaml(formPlan([formStage({ type: "open_text", comments: true })]), TYPES), /type: open_text\n$/);
    assert.match(toYaml(formPlan([formStage({ type: "statements", max_length: "500" })]), TYPES), /type: statements\n {4}max_length: 500\n$/);
  });

  test("comments on another type, with a timer", () => {
    const yaml = toYaml(formPlan([formStage({ comments: true, timer: "90", max_length: 140 })]), TYPES);
    assert.match(yaml, /type: info\n {4}comments: true\n {4}timer: 90\n {4}max_length: 140\n$/);
  });

  test("settings of points and word clouds; settings of other types are left out", () => {
    assert.match(toYaml(formPlan([formStage({ type: "points", points: 20, items: [] })]), TYPES), /\n {4}items: \[\]\n {4}points: 20\n$/);
    assert.match(toYaml(formPlan([formStage({ type: "word_cloud", max_words: 5 })]), TYPES), /type: word_cloud\n {4}max_words: 5\n$/);
  });

  test("translations, which the form does not edit, are written back as they came", () => {
    const plan = formPlan([]);
    plan.translations = { cy: { title: "Cynllun", sectors: { Health: "Iechyd" }, stages: { "stage-1": { title: "Croeso" } } } };
    assert.match(
      toYaml(plan, TYPES),
      /\nstages: \[\]\ntranslations:\n {2}cy:\n {4}title: Cynllun\n {4}sectors:\n {6}Health: Iechyd\n {4}stages:\n {6}stage-1:\n {8}title: Croeso\n$/,
    );
  });

  test("the framework, which the form does not edit, is written back between stages and translations", () => {
    const plan = formPlan([]);
    plan.framework = { tests: ["purposeful"], features: ["feature-outcomes", { stage: "feature-respect", questions: ["voice"] }] };
    plan.translations = { cy: { title: "Cynllun" } };
    assert.match(
      toYaml(plan, TYPES),
      /\nstages: \[\]\nframework:\n {2}tests:\n {4}- purposeful\n {2}features:\n {4}- feature-outcomes\n {4}- stage: feature-respect\n {6}questions:\n {8}- voice\ntranslations:\n/,
    );
    plan.framework = null;
    assert.doesNotMatch(toYaml(plan, TYPES), /framework/);
  });

  test("no translations field when there are none", () => {
    const plan = formPlan([]);
    plan.translations = {};
    assert.doesNotMatch(toYaml(plan, TYPES), /translations/);
  });

  test("what a stage holds follows the type's description, not its name", () => {
    const types = [{ name: "tally", plan_fields: ["max_words", "items"], min_items: 0, always_comments: true }];
    const stage = formStage({ type: "tally", items: [], max_words: 4, max_length: 100, multiple: true });
    assert.match(toYaml(formPlan([stage]), types), /type: tally\n {4}max_length: 100\n {4}max_words: 4\n$/);
  });

  test("a type the registry does not know gets the common fields, for the loader to report", () => {
    const stage = formStage({ type: "unknown", items: [{ label: "A" }], comments: true });
    assert.match(toYaml(formPlan([stage]), TYPES), /type: unknown\n {4}comments: true\n$/);
  });

  test("a body of several lines is a block; keys are trimmed", () => {
    const yaml = toYaml(formPlan([formStage({ key: " intro ", body: "Welcome.\n\nRead this: then vote." })]), TYPES);
    assert.match(yaml, /\n {2}- key: intro\n[^]*\n {4}body: \|-\n {6}Welcome\.\n\n {6}Read this: then vote\.\n$/);
  });
});
