"""``notices serve``: a live preview of the site while the sources are edited.

The sources are built into a preview folder (never ``out/``) by :func:`builder.build.
write.build`, under the same folder rules and lock, in one warm process: libraries,
fonts and templates are loaded once and stay loaded. After an edit the site's pages are
rendered first and the open pages reload; the other files (Word, PDF, Excel) follow.

- :mod:`builder.serve.preview`: the two phases of a rebuild (pages, then files);
- :mod:`builder.serve.state`: what is served now, and the events that tell the pages;
- :mod:`builder.serve.rebuild`: a phase run and its result published;
- :mod:`builder.serve.watch`: the watcher of ``notices/``, ``amendments/``, ``forms/``,
  ``templates/`` and ``issued.yaml``;
- :mod:`builder.serve.inject`: what is added to a served HTML page (never to a file);
- :mod:`builder.serve.files`: which file of the preview folder a URL names;
- :mod:`builder.serve.server`: the HTTP server on 127.0.0.1;
- :mod:`builder.serve.loop`: all of it together, until Ctrl-C.
"""
