// The interface every site adapter has, and the defaults most of them share.
//
//   name, platform                  adapter id (per-site switch) and the service's platform name
//   matches(location, document, settings)   is this page the site's composer app?
//   findComposer(document, from)    the composer element holding `from` (a submit control or a
//                                   focused element), or null
//   editables(composer)             its editable roots, in order (X thread boxes; WP title + blocks)
//   readText(composer)              {text, parts} — see content/text.js
//   replaceRange(composer, start, end, text)
//   findSubmit(document, composer)  the controls that publish (array)
//   isSubmitKey(event, composer)    a keystroke that publishes (default Ctrl/Cmd+Enter)
//   separate                        check each editable as its own post (X threads)
(function (root) {
  const pg = (root.postguard ??= {});
  pg.adapters ??= [];

  function isPostShortcut(event) {
    return event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.altKey;
  }

  function defineAdapter(spec) {
    const adapter = {
      separate: false,
      separator: "\n\n",
      editables: (composer) => [composer],
      isSubmitKey(event, composer) {
        return isPostShortcut(event) && composer.contains(event.target);
      },
      ...spec,
    };
    adapter.readText ??= (composer) => pg.text.readComposer(adapter.editables(composer), adapter.separator);
    adapter.replaceRange ??= (composer, start, end, text) =>
      pg.text.replaceRange(adapter.readText(composer), start, end, text);
    return Object.freeze(adapter);
  }

  /** Register an adapter; the generic one is kept last whatever the load order. */
  function register(spec) {
    const adapter = defineAdapter(spec);
    pg.adapters.push(adapter);
    pg.adapters.sort((a, b) => (a.name === "generic") - (b.name === "generic"));
    return adapter;
  }

  /** The first switched-on adapter for this page. */
  function adapterFor(location, document, settings) {
    return pg.adapters.find(
      (a) => settings.sites?.[a.name] !== false && a.matches(location, document, settings),
    ) ?? null;
  }

  pg.adapter = Object.freeze({ register, adapterFor, isPostShortcut });
})(globalThis);
