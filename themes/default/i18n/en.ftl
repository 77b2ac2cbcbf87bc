# UI strings of the default theme, in English. A site overrides any of them in i18n/en.ftl.
skip-to-content = Skip to the content
languages-label = Language
menu-label = Main menu
breadcrumbs-label = You are here
toc-title = On this page
last-updated = Last updated:
fallback-notice = This page is not yet translated. It is shown in { $language }.
section-pages = { $count ->
    [one] One page in this section
   *[other] { $count } pages in this section
}
home-topics = Topics
not-found-title = Page not found
not-found-text = There is no page at this address. It may have moved. Start again from the home page:
footer-note = An information site built from official sources. If in doubt, the official source is right.
