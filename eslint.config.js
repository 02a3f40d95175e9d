// ESLint for the browser code and the JavaScript tests; `make lint` runs it after ruff.
// See docs/development.md.
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    // static/vendor/ is copied from node_modules/ by `make vendor`: not ours to lint.
    ignores: ["node_modules/", "static/vendor/", ".venv/", "tests/artifacts/"],
  },
  js.configs.recommended,
  {
    files: ["static/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: {
        ...globals.browser,
        // Loaded by classic <script> tags before the modules (templates/*.html).
        io: "readonly",
        Plotly: "readonly",
      },
    },
  },
  {
    // Classic scripts: the report's inline chart drawer, and the functions the accessibility
    // tests hand to page.evaluate (each file is one arrow function).
    files: ["templates/**/*.js", "tests/accessibility/js/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: globals.browser,
    },
  },
  {
    files: ["tests/js/**/*.mjs", "eslint.config.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: globals.node,
    },
  },
  {
    // Beyond "recommended": rules that catch bugs rather than matters of taste.
    rules: {
      // A named catch binding says what was caught; `{ drop: _, ...rest }` is how to omit keys.
      "no-unused-vars": ["error", { caughtErrors: "none", ignoreRestSiblings: true }],
      "no-undef": "error",
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-implicit-globals": "error",
      "prefer-const": ["error", { destructuring: "all" }],
      "no-self-compare": "error",
      "no-template-curly-in-string": "error",
      "no-unreachable-loop": "error",
      // Same-scope use before a let/const is declared: a TDZ error at run time.
      "no-use-before-define": ["error", { functions: false, classes: false, variables: false }],
      "array-callback-return": "error",
      "no-constructor-return": "error",
    },
  },
];
