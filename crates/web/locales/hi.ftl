# Muster — हिंदी संदेश सूची। en.ftl की हर कुंजी यहाँ, और vi व fa में भी, होनी चाहिए।

skip-to-content = मुख्य सामग्री पर जाएँ
nav-label = मुख्य
nav-dashboard = डैशबोर्ड
nav-members = सदस्य
nav-units = इकाइयाँ
nav-workplaces = कार्यस्थल
nav-settings = सेटिंग्स
logout = लॉग आउट
choose = — चुनें —
save = सहेजें
cancel = रद्द करें
month = महीना

login-title = लॉग इन
login-username = उपयोगकर्ता नाम
login-password = पासवर्ड
login-submit = लॉग इन करें
login-failed = उपयोगकर्ता नाम या पासवर्ड सही नहीं है।
login-throttled = बहुत अधिक असफल प्रयास। 15 मिनट रुककर फिर से कोशिश करें।

error-csrf = इस फ़ॉर्म की अवधि समाप्त हो गई है। वापस जाएँ, पेज दोबारा लोड करें और फिर से कोशिश करें।
error-not-found = यहाँ कुछ नहीं है: यह मौजूद नहीं है या संगठन में आपके दायरे से बाहर है।
error-forbidden = आपकी भूमिका में इसकी अनुमति नहीं है।
error-internal = हमारी ओर से कुछ गड़बड़ हुई। फिर से कोशिश करें; समस्या बनी रहे तो अपने व्यवस्थापक को बताएँ।

dash-figures = मुख्य आँकड़े
dash-active = सक्रिय सदस्य
dash-new-month = इस महीने नए
dash-new-year = इस साल नए
dash-by-status = स्थिति के अनुसार सदस्य
dash-by-employment = रोज़गार के अनुसार सक्रिय सदस्य
dash-count = संख्या
dash-chart = जुड़ने और छोड़ने वाले, पिछले 12 महीने
dash-joins = जुड़े
dash-leaves = छोड़ा
dash-transfers-in = स्थानांतरण आवक
dash-transfers-out = स्थानांतरण जावक
dash-active-end = महीने के अंत में सक्रिय

members-search = खोजें
members-search-hint = किसी भी लिपि में नाम, सदस्य संख्या या फ़ोन
members-search-submit = खोजें
members-new = सदस्य पंजीकृत करें
members-empty = कोई सदस्य नहीं मिला।
members-bad-filter = फ़िल्टर जाँचें: उनमें से एक संगठन में आपके दायरे की किसी चीज़ से मेल नहीं खाता।
filter-all-units = सभी इकाइयाँ
filter-all-statuses = सभी स्थितियाँ
filter-all-employment = सभी प्रकार के काम
pager-label = पृष्ठ
pager-first = पहला पृष्ठ
pager-next = अगला पृष्ठ

member-name = पूरा नाम
member-latin-name = रोमन लिपि में नाम
member-number = सदस्य संख्या
member-unit = इकाई
member-status = स्थिति
member-joined = जुड़ने की तिथि
member-left = छोड़ने की तिथि
member-gender = लिंग
member-birth-date = जन्म तिथि
member-phone = फ़ोन
member-email = ईमेल
member-employment = रोज़गार
member-informal-category = असंगठित काम का प्रकार
member-workplace = कार्यस्थल
member-history = सदस्यता का इतिहास
member-audit = बदलाव

status-applicant = आवेदक
status-active = सक्रिय
status-lapsed = सदस्यता व्यपगत
status-suspended = निलंबित
status-resigned = इस्तीफ़ा दिया
status-expelled = निष्कासित
status-deceased = दिवंगत
status-transferred = स्थानांतरित

employment-formal = संगठित
employment-informal = असंगठित
employment-unknown = दर्ज नहीं

category-daily_wage = दिहाड़ी
category-domestic = घरेलू कामगार
category-sanitation = सफ़ाई
category-construction = निर्माण
category-platform = प्लेटफ़ॉर्म कार्य
category-agriculture = कृषि
category-street_vending = रेहड़ी-पटरी
category-other = अन्य

gender-female = महिला
gender-male = पुरुष
gender-other = अन्य

audit-create = पंजीकृत किया
audit-update = विवरण बदला
audit-status = स्थिति बदली
audit-transfer = स्थानांतरित किया
audit-archive = संग्रहित किया
audit-move = जगह बदली

form-has-errors = कुछ फ़ील्ड पर ध्यान देना ज़रूरी है; आपने जो कुछ लिखा है, वह सुरक्षित है।
field-required = आवश्यक।
field-invalid_date = यह तिथि मौजूद नहीं है या तिथि के रूप में नहीं लिखी गई है।
field-invalid_email = यह ईमेल पता नहीं है।
field-invalid_phone = यह फ़ोन नंबर नहीं है (7 से 15 अंक)।
field-invalid_member_number = अक्षर, अंक, -, / या . का प्रयोग करें (अधिकतम 32)।
field-taken = यह पहले से किसी और के नाम दर्ज है।
field-unknown_unit = संगठन में आपके दायरे में ऐसी कोई इकाई नहीं है।
field-unknown_workplace = संगठन में आपके दायरे में ऐसा कोई कार्यस्थल नहीं है।
field-category_needs_informal = केवल असंगठित काम के लिए।
field-in_future = भविष्य की तिथि नहीं हो सकती।
field-too_long = बहुत लंबा है।
field-invalid_gender = सूची में से चुनें।
field-invalid_employment_type = सूची में से चुनें।
field-invalid_informal_category = सूची में से चुनें।
field-invalid_status = सूची में से चुनें।
field-invalid_locale = सूची में से चुनें।
field-invalid_calendar = सूची में से चुनें।
field-invalid_digits = सूची में से चुनें।
field-invalid_code = अक्षरों और अंकों का प्रयोग करें (अधिकतम 8)।
field-invalid_cursor = इस पृष्ठ का लिंक अब मान्य नहीं है।
field-before_joined = सदस्यता की तारीख़ से पहले नहीं हो सकती।
field-inside_own_subtree = इकाई को उसी के नीचे या उसकी किसी निचली इकाई के नीचे नहीं ले जा सकते।
field-invalid_initial_status = नया सदस्य आवेदक या सक्रिय होता है।
field-invalid_unit_code = अक्षर, अंक, - या _ लिखें (अधिकतम 32)।
field-invalid_username = 3 से 64 अक्षर, अंक, ., _ या - लिखें।
field-membership_closed = यह सदस्यता समाप्त हो चुकी है।
field-other_tree = एक ही संगठन में होना चाहिए।
field-out_of_range = सीमा से बाहर।
field-role_above_own = आप अपनी भूमिका से ऊँची भूमिका नहीं दे सकते।
field-same_unit = पहले से इसी इकाई में है।
field-too_short = बहुत छोटा है।
field-transition_not_allowed = मौजूदा स्थिति के बाद यह स्थिति नहीं आ सकती।
field-unknown_level = यह इस संगठन का कोई स्तर नहीं है।

flash-member-created = सदस्य पंजीकृत हो गया।
flash-settings-saved = सेटिंग्स सहेज ली गईं।

units-empty = अभी कोई इकाई नहीं है।
unit-code = कोड
unit-level = स्तर
unit-parent = ऊपरी इकाई
unit-name-in = नाम, भाषा:
unit-members = इस इकाई और इसके अधीन इकाइयों के सदस्य
unit-children = अधीन इकाइयाँ
unit-months = महीनेवार
unit-no-activity = अभी तक जुड़ने या छोड़ने का कोई रिकॉर्ड नहीं है।

workplaces-empty = अभी कोई कार्यस्थल दर्ज नहीं है।
workplace-name = कार्यस्थल
workplace-sector = क्षेत्र
workplace-headcount = कामगार
workplace-union = यूनियन
workplace-no-union = कोई यूनियन नहीं
workplace-since = कब से चालू

settings-language = भाषा
settings-calendar = कैलेंडर
settings-digits = अंक
calendar-gregorian = ग्रेगोरियन
calendar-persian = हिजरी शम्सी
calendar-indian = भारतीय राष्ट्रीय पंचांग
digits-default = भाषा की अपनी लिखावट में
digits-latin = 0123456789
digits-persian = ۰۱۲۳۴۵۶۷۸۹
digits-devanagari = ०१२३४५६७८९
