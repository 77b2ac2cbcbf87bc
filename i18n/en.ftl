# The portal's own UI strings, in English: they override the theme's key by key
# (themes/default/i18n/en.ftl holds the generic ones).

footer-note = An information site for foreigners and stateless persons in Azerbaijan. Most facts come from official sources, each named on its page; where a fact comes from the news or another secondary source, the page says so. If in doubt, the official source is right.

app-short-name = Migration AZ
