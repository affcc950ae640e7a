"""The build cache (``.sitegen-cache/``): do no more work than a change asks for, and give
exactly what a clean build gives.

- :mod:`.digest`: hashing, sitegen's code digest and the versions of the libraries that
  shape the output;
- :mod:`.facets`: the digest of each site-level facet a page may declare, and the input
  folders the facets come from;
- :mod:`.keys`: page keys, made from each page's declaration (``Page.depends``) alone;
- :mod:`.fingerprint`: the no-op check (names, sizes, mtimes of every input folder);
- :mod:`.manifest`: what the last build wrote, with each page's key;
- :mod:`.reports`: reports of earlier builds, with the facts about files outside the
  report that their checks looked at;
- :mod:`.quick`: the dev server's quick path for edited report texts;
- :mod:`.recorder`: a recording proxy that tells which facets a template really reads.

The cache is safe to delete; ``--no-cache`` ignores it.
"""
