# Default mövzunun interfeys mətnləri, azərbaycanca. Sayt istənilən mətni i18n/az.ftl faylında dəyişə bilər.
skip-to-content = Məzmuna keçin
languages-label = Dil
menu-label = Əsas menyu
breadcrumbs-label = Siz buradasınız
toc-title = Bu səhifədə
last-updated = Son yenilənmə:
fallback-notice = Bu səhifə hələ tərcümə olunmayıb. Mətn bu dildədir: { $language }.
section-pages = { $count ->
   *[other] Bu bölmədə { $count } səhifə var
}
home-topics = Mövzular
not-found-title = Səhifə tapılmadı
not-found-text = Bu ünvanda səhifə yoxdur. Ola bilər ki, səhifənin ünvanı dəyişib. Ana səhifədən yenidən başlayın:
footer-note = Rəsmi mənbələr əsasında hazırlanmış məlumat saytı. Şübhə yaranarsa, rəsmi mənbəyə üstünlük verin.
