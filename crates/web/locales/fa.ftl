# Muster — فهرست پیام‌های فارسی. هر کلیدی که در en.ftl هست باید اینجا و در vi و hi هم باشد.

skip-to-content = پرش به محتوا
nav-label = منوی اصلی
nav-dashboard = پیشخوان
nav-members = اعضا
nav-units = واحدها
nav-workplaces = کارگاه‌ها
nav-settings = تنظیمات
logout = خروج
choose = — انتخاب کنید —
save = ذخیره
cancel = انصراف
month = ماه

login-title = ورود
login-username = نام کاربری
login-password = گذرواژه
login-submit = ورود
login-failed = نام کاربری یا گذرواژه درست نیست.
login-throttled = تلاش‌های ناموفق بیش از حد مجاز است. ۱۵ دقیقه صبر کنید و دوباره تلاش کنید.

error-csrf = این فرم منقضی شده است. برگردید، صفحه را دوباره بارگذاری کنید و دوباره تلاش کنید.
error-not-found = چیزی اینجا نیست: یا وجود ندارد یا بیرون از بخش شما در تشکیلات است.
error-forbidden = نقش شما اجازهٔ این کار را نمی‌دهد.
error-internal = مشکلی در سامانه پیش آمد. دوباره تلاش کنید؛ اگر ادامه داشت، به مدیر سامانه اطلاع دهید.

dash-figures = آمار کلیدی
dash-active = اعضای فعال
dash-new-month = جدید در این ماه
dash-new-year = جدید در امسال
dash-by-status = اعضا بر اساس وضعیت
dash-by-employment = اعضای فعال بر اساس نوع اشتغال
dash-count = تعداد
dash-chart = عضویت و خروج، ۱۲ ماه گذشته
dash-joins = عضویت
dash-leaves = خروج
dash-transfers-in = انتقال ورودی
dash-transfers-out = انتقال خروجی
dash-active-end = فعال در پایان ماه

members-search = جستجو
members-search-hint = نام به هر خطی، شمارهٔ عضویت یا تلفن
members-search-submit = جستجو
members-new = ثبت عضو
members-empty = هیچ عضوی پیدا نشد.
members-bad-filter = فیلترها را بررسی کنید: یکی از آن‌ها به چیزی در بخش شما از تشکیلات اشاره نمی‌کند.
filter-all-units = همهٔ واحدها
filter-all-statuses = همهٔ وضعیت‌ها
filter-all-employment = همهٔ انواع کار
pager-label = صفحه‌ها
pager-first = صفحهٔ اول
pager-next = صفحهٔ بعد

member-name = نام و نام خانوادگی
member-latin-name = نام به حروف لاتین
member-number = شمارهٔ عضویت
member-unit = واحد
member-status = وضعیت
member-joined = تاریخ عضویت
member-left = تاریخ خروج
member-gender = جنسیت
member-birth-date = تاریخ تولد
member-phone = تلفن
member-email = ایمیل
member-employment = نوع اشتغال
member-informal-category = نوع کار غیررسمی
member-workplace = کارگاه
member-history = سابقهٔ عضویت
member-audit = تغییرات

status-applicant = متقاضی
status-active = فعال
status-lapsed = منقضی
status-suspended = تعلیق‌شده
status-resigned = مستعفی
status-expelled = اخراج‌شده
status-deceased = درگذشته
status-transferred = منتقل‌شده

employment-formal = رسمی
employment-informal = غیررسمی
employment-unknown = ثبت نشده

category-daily_wage = روزمزد
category-domestic = کار خانگی
category-sanitation = پاکبانی و خدمات شهری
category-construction = ساختمانی
category-platform = کار پلتفرمی
category-agriculture = کشاورزی
category-street_vending = دست‌فروشی
category-other = سایر

gender-female = زن
gender-male = مرد
gender-other = دیگر

audit-create = ثبت کرد
audit-update = مشخصات را تغییر داد
audit-status = وضعیت را تغییر داد
audit-transfer = منتقل کرد
audit-archive = بایگانی کرد
audit-move = جابه‌جا کرد

form-has-errors = برخی موارد نیاز به بررسی دارند؛ هرچه وارد کرده‌اید حفظ شده است.
field-required = الزامی است.
field-invalid_date = این تاریخ وجود ندارد یا به شکل تاریخ نوشته نشده است.
field-invalid_email = نشانی ایمیل معتبر نیست.
field-invalid_phone = شمارهٔ تلفن معتبر نیست (۷ تا ۱۵ رقم).
field-invalid_member_number = فقط حروف، ارقام و نویسه‌های - / . (حداکثر ۳۲ نویسه).
field-taken = قبلاً برای شخص دیگری ثبت شده است.
field-unknown_unit = چنین واحدی در بخش شما از تشکیلات نیست.
field-unknown_workplace = چنین کارگاهی در بخش شما از تشکیلات نیست.
field-category_needs_informal = فقط برای کار غیررسمی.
field-in_future = نمی‌تواند در آینده باشد.
field-too_long = بیش از حد طولانی است.
field-invalid_gender = از فهرست انتخاب کنید.
field-invalid_employment_type = از فهرست انتخاب کنید.
field-invalid_informal_category = از فهرست انتخاب کنید.
field-invalid_status = از فهرست انتخاب کنید.
field-invalid_locale = از فهرست انتخاب کنید.
field-invalid_calendar = از فهرست انتخاب کنید.
field-invalid_digits = از فهرست انتخاب کنید.
field-invalid_code = فقط حروف و ارقام (حداکثر ۸ نویسه).
field-invalid_cursor = پیوند این صفحه دیگر معتبر نیست.
field-before_joined = نمی‌تواند پیش از تاریخ عضویت باشد.
field-inside_own_subtree = یک واحد را نمی‌توان زیر خودش یا زیرمجموعه‌اش برد.
field-invalid_initial_status = عضو تازه یا متقاضی است یا فعال.
field-invalid_unit_code = از حروف لاتین، رقم، - یا _ استفاده کنید (حداکثر ۳۲).
field-invalid_username = ۳ تا ۶۴ حرف لاتین، رقم، .، _ یا -.
field-membership_closed = این عضویت پایان یافته است.
field-other_tree = باید در همان تشکیلات باشد.
field-out_of_range = خارج از محدوده.
field-role_above_own = نمی‌توانید نقشی بالاتر از نقش خودتان بدهید.
field-same_unit = هم‌اکنون در همین واحد است.
field-too_short = خیلی کوتاه است.
field-transition_not_allowed = این وضعیت نمی‌تواند پس از وضعیت کنونی بیاید.
field-unknown_level = این سطح در این تشکیلات تعریف نشده است.

flash-member-created = عضو ثبت شد.
flash-settings-saved = تنظیمات ذخیره شد.

units-empty = هنوز واحدی ثبت نشده است.
unit-code = کد
unit-level = سطح
unit-parent = واحد بالادست
unit-name-in = نام به زبان
unit-members = اعضای این واحد و واحدهای زیرمجموعه
unit-children = واحدهای زیرمجموعه
unit-months = ماه به ماه
unit-no-activity = هنوز هیچ عضویت یا خروجی ثبت نشده است.

workplaces-empty = هنوز کارگاهی ثبت نشده است.
workplace-name = کارگاه
workplace-sector = بخش
workplace-headcount = تعداد کارگران
workplace-union = تشکل
workplace-no-union = بدون تشکل
workplace-since = فعال از

settings-language = زبان
settings-calendar = تقویم
settings-digits = ارقام
calendar-gregorian = میلادی
calendar-persian = هجری شمسی
calendar-indian = تقویم ملی هند
digits-default = به شیوهٔ همان زبان
digits-latin = 0123456789
digits-persian = ۰۱۲۳۴۵۶۷۸۹
digits-devanagari = ०१२३४५६७८९
