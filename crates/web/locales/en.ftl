# Muster — English catalog. Every key here must exist in vi, fa and hi too.

skip-to-content = Skip to content
nav-label = Main
nav-dashboard = Dashboard
nav-members = Members
nav-units = Units
nav-workplaces = Workplaces
nav-settings = Settings
logout = Log out
choose = — choose —
save = Save
cancel = Cancel
month = Month

login-title = Log in
login-username = Username
login-password = Password
login-submit = Log in
login-failed = The username or password is not right.
login-throttled = Too many failed attempts. Wait 15 minutes and try again.

error-csrf = This form has expired. Go back, reload the page and try again.
error-not-found = Nothing here: it does not exist or is outside your part of the organization.
error-forbidden = Your role does not allow this.
error-internal = Something went wrong on our side. Try again; if it persists, tell your administrator.

dash-figures = Key figures
dash-active = Active members
dash-new-month = New this month
dash-new-year = New this year
dash-by-status = Members by status
dash-by-employment = Active members by employment
dash-count = Count
dash-chart = Joins and leaves, last 12 months
dash-joins = Joins
dash-leaves = Leaves
dash-transfers-in = Transfers in
dash-transfers-out = Transfers out
dash-active-end = Active at month end

members-search = Search
members-search-hint = Name in any script, member number or phone
members-search-submit = Search
members-new = Register a member
members-empty = No members match.
members-bad-filter = Check the filters: one of them names nothing in your part of the organization.
filter-all-units = All units
filter-all-statuses = All statuses
filter-all-employment = All kinds of work
pager-label = Pages
pager-first = First page
pager-next = Next page

member-name = Full name
member-latin-name = Name in Latin letters
member-number = Member number
member-unit = Unit
member-status = Status
member-joined = Joined
member-left = Left
member-gender = Gender
member-birth-date = Date of birth
member-phone = Phone
member-email = Email
member-employment = Employment
member-informal-category = Kind of informal work
member-workplace = Workplace
member-history = Membership history
member-audit = Changes

status-applicant = Applicant
status-active = Active
status-lapsed = Lapsed
status-suspended = Suspended
status-resigned = Resigned
status-expelled = Expelled
status-deceased = Deceased
status-transferred = Transferred

employment-formal = Formal
employment-informal = Informal
employment-unknown = Not recorded

category-daily_wage = Daily wage
category-domestic = Domestic work
category-sanitation = Sanitation
category-construction = Construction
category-platform = Platform work
category-agriculture = Agriculture
category-street_vending = Street vending
category-other = Other

gender-female = Female
gender-male = Male
gender-other = Other

audit-create = registered
audit-update = changed details
audit-status = changed status
audit-transfer = transferred
audit-archive = archived
audit-move = moved

form-has-errors = Some fields need attention; everything you typed is kept.
field-required = Required.
field-invalid_date = This date does not exist or is not written as a date.
field-invalid_email = Not an email address.
field-invalid_phone = Not a phone number (7 to 15 digits).
field-invalid_member_number = Use letters, digits, -, / or . (up to 32).
field-taken = Already taken by someone else.
field-unknown_unit = No such unit in your part of the organization.
field-unknown_workplace = No such workplace in your part of the organization.
field-category_needs_informal = Only for informal work.
field-in_future = Cannot be in the future.
field-too_long = Too long.
field-invalid_gender = Choose from the list.
field-invalid_employment_type = Choose from the list.
field-invalid_informal_category = Choose from the list.
field-invalid_status = Choose from the list.
field-invalid_locale = Choose from the list.
field-invalid_calendar = Choose from the list.
field-invalid_digits = Choose from the list.
field-invalid_code = Use letters and digits (up to 8).
field-invalid_cursor = This page link is no longer valid.
field-before_joined = Cannot be before the member joined.
field-inside_own_subtree = A unit cannot move under itself or a unit below it.
field-invalid_initial_status = A new member is an applicant or active.
field-invalid_unit_code = Use letters, digits, - or _ (up to 32).
field-invalid_username = Use 3 to 64 letters, digits, ., _ or -.
field-membership_closed = This membership has ended.
field-other_tree = Must be in the same organization.
field-out_of_range = Out of range.
field-role_above_own = You cannot give a role above your own.
field-same_unit = Already in this unit.
field-too_short = Too short.
field-transition_not_allowed = This status cannot follow the current one.
field-unknown_level = Not a level of this organization.

flash-member-created = Member registered.
flash-settings-saved = Settings saved.

units-empty = No units yet.
unit-code = Code
unit-level = Level
unit-parent = Parent unit
unit-name-in = Name in
unit-members = Members of this unit and below
unit-children = Units below
unit-months = Month by month
unit-no-activity = No joins or leaves recorded yet.

workplaces-empty = No workplaces recorded yet.
workplace-name = Workplace
workplace-sector = Sector
workplace-headcount = Workers
workplace-union = Union
workplace-no-union = No union
workplace-since = Operating since

settings-language = Language
settings-calendar = Calendar
settings-digits = Digits
calendar-gregorian = Gregorian
calendar-persian = Solar Hijri
calendar-indian = Indian national
digits-default = As the language writes them
digits-latin = 0123456789
digits-persian = ۰۱۲۳۴۵۶۷۸۹
digits-devanagari = ०१२३४५६७८९
