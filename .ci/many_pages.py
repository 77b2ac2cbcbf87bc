"""Adds COUNT pages to every language of a site copy (default 260, past the 200 titles after which
the search page's A–Z index gets a page per letter), with titles that begin in every way a title
can: each language's own letters (Azerbaijani ç ə ğ ı İ ö ş ü, Russian ё ж щ), digits, quotes and
signs before the first letter, no letter at all, and characters HTML gives a meaning to.

Usage: python3 .ci/many_pages.py SITE [COUNT]"""
import os
import sys

site = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 260
starts = {
    "az": ["Çay", "Əmək", "Ğ hərfi", "İqamət", "Ilıq", "Ölkə", "Şəhər", "Ümumi", "Viza", "qeydiyyat"],
    "en": ["Apple", "<Tags> & more", "Éclair", "Zebra", "visa", "Work"],
    "ru": ["Ёлка", "Жильё", "Щит", "Виза", "регистрация", "Учёт"],
}
common = ["100% <sure>", "«Quoted» & 'single'", "—", "Café & \"bar\""]
for code, own in starts.items():
    folder = os.path.join(site, "content", code, "many")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "_index.md"), "w", encoding="utf-8") as f:
        f.write('+++\ntitle = "Many <pages> & more"\n+++\n')
    titles = own + common
    for i in range(count):
        title = titles[i % len(titles)]
        # "—" stays a title without any letter or digit; the others are numbered.
        if title != "—" or i >= len(titles):
            title = f"{title} {i}"
        quoted = title.replace("\\", "\\\\").replace('"', '\\"')
        with open(os.path.join(folder, f"page-{i}.md"), "w", encoding="utf-8") as f:
            f.write(f'+++\ntitle = "{quoted}"\n+++\n\nText of page {i}: a < b & c.\n')
