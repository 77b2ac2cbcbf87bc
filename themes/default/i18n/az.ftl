# Default mövzunun interfeys mətnləri, azərbaycanca. Sayt istənilən mətni i18n/az.ftl faylında dəyişə bilər.
skip-to-content = Məzmuna keçin
languages-label = Dil
menu-open = Menyu
menu-label = Əsas menyu
breadcrumbs-label = Siz buradasınız
toc-title = Bu səhifədə
last-updated = Son yenilənmə:
fallback-notice = Bu səhifə hələ tərcümə olunmayıb. Mətn bu dildədir: { $language }.
section-pages = { $count ->
    [one] Bu bölmədə { $count } səhifə var
   *[other] Bu bölmədə { $count } səhifə var
}
home-pages = Səhifələr
home-topics = Mövzular
not-found-title = Səhifə tapılmadı
not-found-text = Bu ünvanda səhifə yoxdur. Ola bilər ki, səhifənin ünvanı dəyişib. Ana səhifədən yenidən başlayın:
footer-note = Bu saytdakı faktlar mənbələri ilə birlikdə verilir. Şübhə yarandıqda mənbəyə əsaslanın.

## Xidmətlər və qurumlar
services-title = Xidmətlər
services-for = { $label } üçün xidmətlər
services-other = Digər xidmətlər
services-filter = Kimin üçün:
services-all = Hamı üçün
agencies-title = Qurumlar
audience-foreigner = əcnəbilər
audience-stateless-person = vətəndaşlığı olmayan şəxslər
audience-employer = işəgötürənlər
audience-host = otellər və ev sahibləri
audience-investor = investorlar
audience-student = tələbələr
audience-family = ailə üzvləri
channel-online = Onlayn
channel-email = Elektron poçtla
channel-in-person = Şəxsən
channel-phone = Telefonla
channel-post = Poçtla
submission-electronic = elektron
submission-paper = kağız üzərində
fee-free = Ödənişsiz
money = { $amount } { $currency }
currency-AZN = ₼
currency-USD = USD
duration-years = { $count } il
duration-months = { $count } ay
duration-weeks = { $count } həftə
duration-days = { $count } gün
duration-working-days = { $count } iş günü
duration-hours = { $count } saat
duration-minutes = { $count } dəqiqə
service-not-translated = Bu səhifənin bəzi hissələri hələ tərcümə olunmayıb və orijinal dildə göstərilir.
translation-state = { $state ->
    [draft] Bu tərcümə qaralamadır və hələ yoxlanılmayıb. Şübhə yaranarsa, rəsmi mənbəyə əsaslanın.
    [machine] Bu mətn maşınla tərcümə olunub və hələ yoxlanılmayıb. Şübhə yaranarsa, rəsmi mənbəyə əsaslanın.
   *[outdated] Bu tərcümə köhnəlmiş ola bilər. Şübhə yaranarsa, rəsmi mənbəyə əsaslanın.
}
service-agency = Məsul qurum
service-cost = Ödəniş
service-deadline = Son müddət
service-processing = Baxılma müddəti
service-apply-online = Onlayn müraciət edin
service-who = Kimin üçündür
service-applicants = Müraciəti təqdim edən:
service-documents = Lazım olan sənədlər
document-notarised = notarial qaydada təsdiqlənmiş
document-translated = tərcüməsi ilə birlikdə
document-submission = Qəbul olunur:
document-form = Formanı yükləyin
service-how-to-apply = Necə müraciət etmək olar
service-steps = Addım-addım
service-consequences = Bunu etməsəniz
service-fine = Cərimə:
service-legal-basis = Hüquqi əsas
service-articles = maddələr
service-faq = Sual və cavablar
service-related = Əlaqəli xidmətlər
service-sources = Mənbələr
service-checked = yoxlanılıb
service-last-checked = Faktlar son dəfə yoxlanılıb:
agency-website = Sayt
agency-email = Elektron poçt
agency-address = Ünvan
agency-phone = Telefon
agency-languages = Dillər:
agency-services = Xidmətlər
agency-offices = { $count ->
    [one] Ofis
   *[other] Ofislər ({ $count })
}
pagination-label = Siyahının səhifələri
pagination-page = Səhifə { $number }/{ $total }
pagination-prev = Əvvəlki
pagination-next = Növbəti
feed-follow = Bu bölmənin yeniliklərini lent oxuyucusunda izləyin (Atom)
callout-note = Qeyd:
callout-tip = Məsləhət:
callout-important = Vacibdir:
callout-warning = Diqqət:
callout-caution = Ehtiyatlı olun:

## Tərcümə hesabatı (karvan check --translations --format html), redaktorlar üçün
report-title = Tərcümə hesabatı
report-language = Dil
report-pages = Səhifələr
report-coverage = Tərcümə olunub
report-todo = Görüləcək işlər
report-nothing = Görüləcək iş yoxdur.
report-from = Bu fayldan tərcümə edin
report-create = bu fayla
report-shown-at = Ünvan
report-words = söz
report-menu = menyuda
report-kind-untranslated = Tərcümə olunmayıb
report-kind-no-original = Bu dildə orijinal yoxdur
report-kind-stale = Tərcümə köhnəlib
report-kind-service-texts = Xidmət mətnləri çatışmır
report-kind-missing-strings = İnterfeys mətni çatışmır
report-kind-other = Digər

# Axtarış və oflayn oxu
search-link = Axtarış
search-title = Axtarış
search-label = Nə axtarırsınız?
search-button = Axtar
search-hint = Hərfləri işarəsiz də yaza bilərsiniz: «muveqqeti» sorğusu «müvəqqəti» sözünü də tapır.
search-found = Tapılanlar:
search-nothing = Heç nə tapılmadı. Başqa sözlə axtarın və ya aşağıdakı siyahıya baxın.
search-failed = Axtarış indi işləmir. Aşağıdakı siyahıdan istifadə edin.
search-a-z = Bütün səhifələr və xidmətlər əlifba sırası ilə ({ $count })
search-kind-service = xidmət
search-kind-agency = qurum
search-letters = Hərflər
# The page of one letter, when the A–Z index has a page per letter.
search-letter-title = Əlifba sırası: { $letter }
search-all-letters = Bütün hərflər
offline-title = İnternet bağlantısı yoxdur
offline-text = Bu səhifəni hələ açmamısınız, ona görə də o, cihazınızda saxlanmayıb. Əvvəl oxuduğunuz səhifələr internetsiz də açılır, bunlar da:
offline-later = Bağlantı bərpa olunanda səhifəni yeniləyin.
app-short-name = Portal
