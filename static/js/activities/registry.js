// What the browser's registries of activity types share (inputs.js for the phone's inputs,
// results.js for the result views): each type's module laid over a base module that says
// what every part is, looked up by the type's name (the plan's `type:`).
//
// A type's module is loaded when a page first needs it (`load`), not with the page: a phone
// on a rating stage downloads the rating's modules, not the statements' opinion map. The
// loaders are written out as `() => import("./inputs/<type>.js")`, one per type, so that
// facilitation/static_assets.py can read them and map each module to its hashed name.

/**
 * A lookup from a type's name to its parts: `loaders` maps each name to a function that
 * imports the type's module, laid over `base` once loaded, or to null for a type that is
 * the base as it is. Returns {lookup(type), load(types), loaded(types), names}:
 * - lookup(type): the type's parts, synchronous; the base's for a type not loaded yet, or
 *   that this page does not know (a newer server's), so that its stage still shows what
 *   every stage has;
 * - load(types): a promise of the named types' modules, each imported once (a failed
 *   import, such as offline, is tried again on the next call);
 * - loaded(types): whether lookup already gives each named type its own parts;
 * - names: every type's name, in the loaders' order.
 */
export function lazyRegistry(base, loaders) {
  const complete = (module) => Object.freeze({ ...base, ...module });
  const unknown = complete({});
  const known = {}; // name -> its parts, once loaded
  const loading = {}; // name -> the promise of its module, while loading
  for (const [name, loader] of Object.entries(loaders)) {
    if (!loader) known[name] = unknown;
  }
  const missing = (type) => Object.hasOwn(loaders, type) && !Object.hasOwn(known, type);
  const loadOne = (type) => {
    loading[type] ??= loaders[type]().then(
      (module) => {
        known[type] = complete(module);
        delete loading[type];
      },
      (error) => {
        delete loading[type];
        throw error;
      },
    );
    return loading[type];
  };
  return {
    lookup: (type) => (Object.hasOwn(known, type) ? known[type] : unknown),
    load: async (types) => {
      await Promise.all([...new Set(types)].filter(missing).map(loadOne));
    },
    loaded: (types) => !types.some(missing),
    names: Object.keys(loaders),
  };
}
