# UI strings of the default theme, in English. A site overrides any of them in i18n/en.ftl.
skip-to-content = Skip to the content
languages-label = Language
menu-open = Menu
menu-label = Main menu
breadcrumbs-label = You are here
toc-title = On this page
last-updated = Last updated:
fallback-notice = This page is not yet translated. It is shown in { $language }.
section-pages = { $count ->
    [one] One page in this section
   *[other] { $count } pages in this section
}
home-pages = Pages
home-topics = Topics
not-found-title = Page not found
not-found-text = There is no page at this address. It may have moved. Start again from the home page:
footer-note = The facts on this site come with their sources. If in doubt, the source is right.

## Services and agencies
services-title = Services
services-for = Services for { $label }
services-other = Other services
services-filter = Show services for:
services-all = Everyone
agencies-title = Agencies
audience-foreigner = foreigners
audience-stateless-person = stateless persons
audience-employer = employers
audience-host = hosts and landlords
audience-investor = investors
audience-student = students
audience-family = family members
channel-online = Online
channel-email = By e-mail
channel-in-person = In person
channel-phone = By phone
channel-post = By post
submission-electronic = electronic
submission-paper = paper
fee-free = Free
money = { $amount } { $currency }
currency-AZN = AZN
currency-USD = USD
duration-years = { $count ->
    [one] { $count } year
   *[other] { $count } years
}
duration-months = { $count ->
    [one] { $count } month
   *[other] { $count } months
}
duration-weeks = { $count ->
    [one] { $count } week
   *[other] { $count } weeks
}
duration-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
duration-working-days = { $count ->
    [one] { $count } working day
   *[other] { $count } working days
}
duration-hours = { $count ->
    [one] { $count } hour
   *[other] { $count } hours
}
duration-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
service-not-translated = Parts of this page are not yet translated and are shown in the original language.
translation-state = { $state ->
    [draft] This translation is a draft and has not been checked yet. If in doubt, follow the official source.
    [machine] This text was translated by machine and has not been checked yet. If in doubt, follow the official source.
   *[outdated] This translation may be out of date. If in doubt, follow the official source.
}
service-agency = Responsible agency
service-cost = Cost
service-deadline = Deadline
service-processing = Processing time
service-apply-online = Apply online
service-who = Who this is for
service-applicants = The application is made by:
service-documents = What you need
document-notarised = notarised
document-translated = with a translation
document-submission = Accepted as:
document-form = Download the form
service-how-to-apply = How to apply
service-steps = Step by step
service-consequences = If you do not do it
service-fine = Fine:
service-legal-basis = Legal basis
service-articles = articles
service-faq = Questions and answers
service-related = Related services
service-sources = Sources
service-checked = checked
service-last-checked = Facts last checked:
agency-website = Website
agency-email = E-mail
agency-address = Address
agency-phone = Phone
agency-languages = Languages:
agency-services = Services
agency-offices = { $count ->
    [one] Office
   *[other] Offices ({ $count })
}
pagination-label = Pages of this list
pagination-page = Page { $number } of { $total }
pagination-prev = Previous
pagination-next = Next
feed-follow = Follow this section in a feed reader (Atom)
callout-note = Note:
callout-tip = Tip:
callout-important = Important:
callout-warning = Warning:
callout-caution = Caution:

## The translation report (karvan check --translations --format html), for editors
report-title = Translation report
report-language = Language
report-pages = Pages
report-coverage = Translated
report-todo = To do
report-nothing = Nothing to do.
report-from = Translate from
report-create = into the file
report-shown-at = Shown at
report-words = words
report-menu = in the menu
report-kind-untranslated = Not translated
report-kind-no-original = No original in this language
report-kind-stale = Translation out of date
report-kind-service-texts = Service texts missing
report-kind-missing-strings = Interface text missing
report-kind-other = Other

# Search and offline reading
search-link = Search
search-title = Search
search-label = What are you looking for?
search-button = Search
search-hint = You can leave out accents: “muveqqeti” finds “müvəqqəti”.
search-found = Found:
search-nothing = Nothing found. Try another word, or look in the list below.
search-failed = Search is not working right now. Use the list below.
search-a-z = All pages and services, A to Z ({ $count })
search-kind-service = service
search-kind-agency = agency
search-letters = Letters
# The page of one letter, when the A–Z index has a page per letter.
search-letter-title = A to Z: { $letter }
search-all-letters = All letters
offline-title = You are offline
offline-text = You have not opened this page on this device yet, so it is not kept for reading offline. The pages you have read open without a connection, and so do these:
offline-later = When you are back online, reload the page.
app-short-name = Portal
