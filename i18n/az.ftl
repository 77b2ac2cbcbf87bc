# Portalın öz interfeys mətnləri, azərbaycanca: mövzunun eyni açarlı mətnlərini əvəz edir
# (ümumi mətnlər themes/default/i18n/az.ftl faylındadır).

footer-note = Azərbaycanda olan əcnəbilər və vətəndaşlığı olmayan şəxslər üçün məlumat saytı. Faktların çoxu rəsmi mənbələrdən götürülüb və hər səhifədə mənbəyi göstərilib; fakt xəbər saytından və ya başqa qeyri-rəsmi mənbədən götürüldükdə bu, səhifədə qeyd olunur. Şübhə yarandıqda rəsmi mənbəyə əsaslanın.

app-short-name = Miqrasiya
