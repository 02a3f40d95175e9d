// What the browser's registries of activity types share (inputs.js for the phone's inputs,
// results.js for the result views): each type's module laid over a base module that says
// what every part is, looked up by the type's name (the plan's `type:`).

/**
 * A lookup from a type's name to its parts: `modules` (name -> module) each laid over
 * `base`. A name not in `modules` gets the base as it is, so a stage of a type this page
 * does not know (a newer server's) still shows what every stage has.
 */
export function registry(base, modules) {
  const complete = (module) => Object.freeze({ ...base, ...module });
  const known = Object.fromEntries(Object.entries(modules).map(([name, module]) => [name, complete(module)]));
  const unknown = complete({});
  return (type) => (Object.hasOwn(known, type) ? known[type] : unknown);
}
