# Строки интерфейса темы по умолчанию, на русском. Сайт может заменить любую из них в i18n/ru.ftl.
skip-to-content = Перейти к содержанию
languages-label = Язык
menu-open = Меню
menu-label = Главное меню
breadcrumbs-label = Вы здесь
toc-title = На этой странице
last-updated = Обновлено:
fallback-notice = Эта страница ещё не переведена. Текст приведён на языке: { $language }.
section-pages = { $count ->
    [one] В этом разделе { $count } страница
    [few] В этом разделе { $count } страницы
    [many] В этом разделе { $count } страниц
   *[other] В этом разделе { $count } страницы
}
home-pages = Страницы
home-topics = Разделы
not-found-title = Страница не найдена
not-found-text = По этому адресу страницы нет. Возможно, она переехала. Начните с главной страницы:
footer-note = Факты на этом сайте приводятся со ссылками на источники. В случае сомнений прав источник.

## Услуги и ведомства
services-title = Услуги
services-for = { $audience ->
    [foreigner] Услуги для иностранцев
    [stateless-person] Услуги для лиц без гражданства
    [employer] Услуги для работодателей
    [host] Услуги для принимающей стороны
    [investor] Услуги для инвесторов
    [student] Услуги для студентов
    [family] Услуги для членов семьи
   *[other] Услуги: { $label }
}
services-other = Другие услуги
services-filter = Для кого:
services-all = Для всех
agencies-title = Ведомства
audience-foreigner = иностранцы
audience-stateless-person = лица без гражданства
audience-employer = работодатели
audience-host = гостиницы и арендодатели
audience-investor = инвесторы
audience-student = студенты
audience-family = члены семьи
channel-online = Онлайн
channel-email = По электронной почте
channel-in-person = Лично
channel-phone = По телефону
channel-post = По почте
submission-electronic = в электронном виде
submission-paper = на бумаге
fee-free = Бесплатно
money = { $amount } { $currency }
currency-AZN = ₼
currency-USD = USD
duration-years = { $count ->
    [one] { $count } год
    [few] { $count } года
    [many] { $count } лет
   *[other] { $count } года
}
duration-months = { $count ->
    [one] { $count } месяц
    [few] { $count } месяца
    [many] { $count } месяцев
   *[other] { $count } месяца
}
duration-weeks = { $count ->
    [one] { $count } неделя
    [few] { $count } недели
    [many] { $count } недель
   *[other] { $count } недели
}
duration-days = { $count ->
    [one] { $count } день
    [few] { $count } дня
    [many] { $count } дней
   *[other] { $count } дня
}
duration-working-days = { $count ->
    [one] { $count } рабочий день
    [few] { $count } рабочих дня
    [many] { $count } рабочих дней
   *[other] { $count } рабочего дня
}
duration-hours = { $count ->
    [one] { $count } час
    [few] { $count } часа
    [many] { $count } часов
   *[other] { $count } часа
}
duration-minutes = { $count ->
    [one] { $count } минута
    [few] { $count } минуты
    [many] { $count } минут
   *[other] { $count } минуты
}
service-not-translated = Часть этой страницы ещё не переведена и показана на языке оригинала.
translation-state = { $state ->
    [draft] Это черновик перевода, он ещё не проверен. В случае сомнений руководствуйтесь официальным источником.
    [machine] Этот текст переведён машинным способом и ещё не проверен. В случае сомнений руководствуйтесь официальным источником.
   *[outdated] Этот перевод может быть устаревшим. В случае сомнений руководствуйтесь официальным источником.
}
service-agency = Ответственное ведомство
service-cost = Стоимость
service-deadline = Срок
service-processing = Срок рассмотрения
service-apply-online = Подать заявление онлайн
service-who = Кому это нужно
service-applicants = Кто подаёт заявление:
service-documents = Что нужно
document-notarised = с нотариальным заверением
document-translated = с переводом
document-submission = Принимается:
document-form = Скачать бланк
service-how-to-apply = Как подать заявление
service-steps = По шагам
service-consequences = Если этого не сделать
service-fine = Штраф:
service-legal-basis = Правовая основа
service-articles = статьи
service-faq = Вопросы и ответы
service-related = Связанные услуги
service-sources = Источники
service-checked = проверено
service-last-checked = Факты проверены:
agency-website = Сайт
agency-email = Электронная почта
agency-address = Адрес
agency-phone = Телефон
agency-languages = Языки:
agency-services = Услуги
agency-offices = Офисы: { $count }
pagination-label = Страницы списка
pagination-page = Страница { $number } из { $total }
pagination-prev = Предыдущая
pagination-next = Следующая
feed-follow = Следить за обновлениями раздела в программе чтения лент (Atom)
callout-note = Примечание:
callout-tip = Совет:
callout-important = Важно:
callout-warning = Внимание:
callout-caution = Осторожно:

## Отчёт о переводах (karvan check --translations --format html), для редакторов
report-title = Отчёт о переводах
report-language = Язык
report-pages = Страницы
report-coverage = Переведено
report-todo = Что сделать
report-nothing = Всё переведено.
report-from = Перевести из
report-create = в файл
report-shown-at = Адрес
report-words = слов
report-menu = в меню
report-kind-untranslated = Не переведено
report-kind-no-original = Нет оригинала на этом языке
report-kind-stale = Перевод устарел
report-kind-service-texts = Нет текстов услуги
report-kind-missing-strings = Нет текста интерфейса
report-kind-other = Другое

# Поиск и чтение без интернета
search-link = Поиск
search-title = Поиск
search-label = Что вы ищете?
search-button = Найти
search-hint = Слово можно писать в любой форме и без диакритики: «регистрации» найдёт «регистрация», «muveqqeti» — «müvəqqəti».
search-found = Найдено:
search-nothing = Ничего не найдено. Попробуйте другое слово или посмотрите список ниже.
search-failed = Поиск сейчас не работает. Воспользуйтесь списком ниже.
search-a-z = Все страницы и услуги по алфавиту ({ $count })
search-kind-service = услуга
search-kind-agency = ведомство
search-letters = Буквы
# The page of one letter, when the A–Z index has a page per letter.
search-letter-title = По алфавиту: { $letter }
search-all-letters = Все буквы
offline-title = Нет подключения к интернету
offline-text = Эту страницу вы на этом устройстве ещё не открывали, поэтому она не сохранена. Страницы, которые вы уже читали, открываются и без интернета, как и эти:
offline-later = Когда подключение восстановится, обновите страницу.
app-short-name = Портал
