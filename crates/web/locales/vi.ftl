# Muster — danh mục tiếng Việt. Mọi khóa trong en.ftl đều phải có ở đây, cũng như trong fa và hi.

skip-to-content = Chuyển đến nội dung chính
nav-label = Điều hướng chính
nav-dashboard = Tổng quan
nav-members = Đoàn viên
nav-units = Đơn vị
nav-workplaces = Nơi làm việc
nav-settings = Cài đặt
logout = Đăng xuất
choose = — chọn —
save = Lưu
cancel = Hủy
month = Tháng

login-title = Đăng nhập
login-username = Tên đăng nhập
login-password = Mật khẩu
login-submit = Đăng nhập
login-failed = Tên đăng nhập hoặc mật khẩu không đúng.
login-throttled = Đăng nhập sai quá nhiều lần. Vui lòng đợi 15 phút rồi thử lại.

error-csrf = Biểu mẫu này đã hết hạn. Hãy quay lại, tải lại trang và thử lại.
error-not-found = Không tìm thấy: mục này không tồn tại hoặc nằm ngoài phạm vi tổ chức của bạn.
error-forbidden = Vai trò của bạn không được phép thực hiện thao tác này.
error-internal = Hệ thống đã gặp lỗi. Hãy thử lại; nếu vẫn lỗi, hãy báo cho quản trị viên.

dash-figures = Số liệu chính
dash-active = Đoàn viên đang sinh hoạt
dash-new-month = Mới trong tháng
dash-new-year = Mới trong năm
dash-by-status = Đoàn viên theo trạng thái
dash-by-employment = Đoàn viên đang sinh hoạt theo loại hình việc làm
dash-count = Số lượng
dash-chart = Kết nạp và giảm đoàn viên, 12 tháng qua
dash-joins = Kết nạp
dash-leaves = Giảm
dash-transfers-in = Chuyển đến
dash-transfers-out = Chuyển đi
dash-active-end = Đang sinh hoạt cuối tháng

members-search = Tìm kiếm
members-search-hint = Họ tên (bất kỳ hệ chữ nào), mã đoàn viên hoặc số điện thoại
members-search-submit = Tìm
members-new = Đăng ký đoàn viên
members-empty = Không có đoàn viên nào phù hợp.
members-bad-filter = Hãy kiểm tra bộ lọc: có một bộ lọc không khớp với mục nào trong phạm vi tổ chức của bạn.
filter-all-units = Tất cả đơn vị
filter-all-statuses = Tất cả trạng thái
filter-all-employment = Mọi loại hình việc làm
pager-label = Phân trang
pager-first = Trang đầu
pager-next = Trang sau

member-name = Họ và tên
member-latin-name = Tên viết bằng chữ Latinh
member-number = Mã đoàn viên
member-unit = Đơn vị
member-status = Trạng thái
member-joined = Ngày kết nạp
member-left = Ngày ra khỏi
member-gender = Giới tính
member-birth-date = Ngày sinh
member-phone = Điện thoại
member-email = Thư điện tử
member-employment = Loại hình việc làm
member-informal-category = Loại việc làm phi chính thức
member-workplace = Nơi làm việc
member-history = Quá trình sinh hoạt công đoàn
member-audit = Lịch sử thay đổi

status-applicant = Chờ kết nạp
status-active = Đang sinh hoạt
status-lapsed = Gián đoạn sinh hoạt
status-suspended = Tạm đình chỉ
status-resigned = Đã xin ra
status-expelled = Bị khai trừ
status-deceased = Đã mất
status-transferred = Đã chuyển đi

employment-formal = Chính thức
employment-informal = Phi chính thức
employment-unknown = Chưa ghi nhận

category-daily_wage = Làm công nhật
category-domestic = Giúp việc gia đình
category-sanitation = Vệ sinh môi trường
category-construction = Xây dựng
category-platform = Làm việc qua nền tảng số
category-agriculture = Nông nghiệp
category-street_vending = Bán hàng rong
category-other = Khác

gender-female = Nữ
gender-male = Nam
gender-other = Khác

audit-create = đã đăng ký
audit-update = đã sửa thông tin
audit-status = đã đổi trạng thái
audit-transfer = đã chuyển sinh hoạt
audit-archive = đã lưu trữ
audit-move = đã di chuyển

form-has-errors = Một số trường cần kiểm tra lại; mọi nội dung bạn đã nhập vẫn được giữ nguyên.
field-required = Bắt buộc.
field-invalid_date = Ngày này không tồn tại hoặc không đúng định dạng ngày.
field-invalid_email = Không phải địa chỉ thư điện tử.
field-invalid_phone = Không phải số điện thoại (từ 7 đến 15 chữ số).
field-invalid_member_number = Dùng chữ cái, chữ số, -, / hoặc . (tối đa 32 ký tự).
field-taken = Đã có người khác sử dụng.
field-unknown_unit = Không có đơn vị này trong phạm vi tổ chức của bạn.
field-unknown_workplace = Không có nơi làm việc này trong phạm vi tổ chức của bạn.
field-category_needs_informal = Chỉ dành cho việc làm phi chính thức.
field-in_future = Không được là ngày trong tương lai.
field-too_long = Quá dài.
field-invalid_gender = Hãy chọn trong danh sách.
field-invalid_employment_type = Hãy chọn trong danh sách.
field-invalid_informal_category = Hãy chọn trong danh sách.
field-invalid_status = Hãy chọn trong danh sách.
field-invalid_locale = Hãy chọn trong danh sách.
field-invalid_calendar = Hãy chọn trong danh sách.
field-invalid_digits = Hãy chọn trong danh sách.
field-invalid_code = Dùng chữ cái và chữ số (tối đa 8 ký tự).
field-invalid_cursor = Liên kết trang này không còn hợp lệ.
field-before_joined = Không được trước ngày vào công đoàn.
field-inside_own_subtree = Không thể chuyển đơn vị vào chính nó hoặc đơn vị cấp dưới của nó.
field-invalid_initial_status = Đoàn viên mới phải ở trạng thái chờ kết nạp hoặc đang sinh hoạt.
field-invalid_unit_code = Dùng chữ cái, chữ số, - hoặc _ (tối đa 32 ký tự).
field-invalid_username = Dùng 3 đến 64 chữ cái, chữ số, ., _ hoặc -.
field-membership_closed = Tư cách đoàn viên này đã chấm dứt.
field-other_tree = Phải thuộc cùng một tổ chức.
field-out_of_range = Ngoài phạm vi cho phép.
field-role_above_own = Không thể giao vai trò cao hơn vai trò của bạn.
field-same_unit = Đã ở đơn vị này.
field-too_short = Quá ngắn.
field-transition_not_allowed = Không thể chuyển sang trạng thái này từ trạng thái hiện tại.
field-unknown_level = Không phải là một cấp của tổ chức này.

flash-member-created = Đã đăng ký đoàn viên.
flash-settings-saved = Đã lưu cài đặt.

units-empty = Chưa có đơn vị nào.
unit-code = Mã
unit-level = Cấp
unit-parent = Đơn vị cấp trên
unit-name-in = Tên theo ngôn ngữ
unit-members = Đoàn viên của đơn vị này và các đơn vị trực thuộc
unit-children = Đơn vị trực thuộc
unit-months = Theo từng tháng
unit-no-activity = Chưa ghi nhận lượt kết nạp hay giảm đoàn viên nào.

workplaces-empty = Chưa ghi nhận nơi làm việc nào.
workplace-name = Nơi làm việc
workplace-sector = Ngành
workplace-headcount = Số lao động
workplace-union = Công đoàn
workplace-no-union = Chưa có công đoàn
workplace-since = Hoạt động từ

settings-language = Ngôn ngữ
settings-calendar = Lịch
settings-digits = Chữ số
calendar-gregorian = Dương lịch
calendar-persian = Lịch Hijri Mặt Trời
calendar-indian = Lịch quốc gia Ấn Độ
digits-default = Theo cách viết của ngôn ngữ
digits-latin = 0123456789
digits-persian = ۰۱۲۳۴۵۶۷۸۹
digits-devanagari = ०१२३४५६७८९
