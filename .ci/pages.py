"""Prints one URL path of every page kind in every language of the built site, for the browser
checks: the root chooser, then per language the home, a section, a content page, the services
index, an audience page, a service, the agencies index, an agency, the search page, the offline
page and the 404 page. With --core (for Lighthouse): per language only the home, a section, a
content page, a service, an agency and the search page."""
import os
import sys
import tomllib

core = "--core" in sys.argv
root, public = [a for a in sys.argv[1:] if a != "--core"][:2]
config = tomllib.load(open(os.path.join(root, "site.toml"), "rb"))
paths = ["/"]


def dirs(path):
    full = os.path.join(public, path.strip("/"))
    return sorted(d for d in os.listdir(full) if os.path.isfile(os.path.join(full, d, "index.html")))


for language in config["languages"]:
    code = language["code"]
    sections = language.get("sections", {})
    services, agencies = sections.get("services", "services"), sections.get("agencies", "agencies")
    search = sections.get("search", "search")
    paths.append(f"/{code}/")
    content = [d for d in dirs(f"/{code}/") if d not in (services, agencies, search)]
    section = next((d for d in content if dirs(f"/{code}/{d}/")), None)
    if section:
        paths += [f"/{code}/{section}/", f"/{code}/{section}/{dirs(f'/{code}/{section}/')[0]}/"]
    if services in dirs(f"/{code}/"):
        inside = dirs(f"/{code}/{services}/")
        if not core:
            paths.append(f"/{code}/{services}/")
            paths += [f"/{code}/{services}/{d}/" for d in inside if d.startswith("for-")][:1]
        paths += [f"/{code}/{services}/{d}/" for d in inside if not d.startswith("for-")][:1]
    if agencies in dirs(f"/{code}/"):
        if not core:
            paths.append(f"/{code}/{agencies}/")
        paths.append(f"/{code}/{agencies}/{dirs(f'/{code}/{agencies}/')[0]}/")
    if search in dirs(f"/{code}/"):
        paths.append(f"/{code}/{search}/")
    if not core:
        if os.path.isfile(os.path.join(public, code, "offline.html")):
            paths.append(f"/{code}/offline.html")
        paths.append(f"/{code}/404.html")
if core:
    paths.remove("/")
print("\n".join(paths))
