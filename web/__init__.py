"""diarium's web server (`diarium serve`): search pages for researchers and a JSON API,
over the read side of the archive (pipeline/archive.py). web/app.py makes the ASGI app;
web/pages.py and web/api.py are the routes, web/access.py how they reach the archive,
web/render.py what the pages show, web/templates/ and web/static/ how."""
