"""The "Hướng dẫn" sheet of the Excel template: how to fill it in, for which unit and period."""

from __future__ import annotations

from tieuchi.collection.excel.context import (
    period_label,
    unit_label,
)
from tieuchi.collection.excel.template_styles import styled_cell

HELP = [
    ("Cách dùng mẫu nhập số liệu", "tc_title"),
    ("", None),
    ("1. Chỉ nhập vào các ô màu vàng ở sheet 'Số liệu'. Các ô khác đã được khóa.", None),
    (
        "2. Tỷ lệ: nhập Tử số và Mẫu số (số người, số hộ…); phần mềm tự tính phần trăm. "
        "Tử số không được lớn hơn mẫu số.",
        None,
    ),
    (
        "3. Số: nhập số từ 0 trở lên. Dấu phẩy là dấu thập phân, dấu chấm ngăn cách hàng "
        "nghìn: 87,5 – 1.234 – 1.234,5. Số gõ kiểu 87.5 cũng được nhận.",
        None,
    ),
    ("4. Đạt / Mức: chọn trong danh sách (Đạt, Chưa đạt, hoặc mức xếp loại của chỉ tiêu).", None),
    (
        "5. Để trống nếu chưa có số liệu. Ô để trống không xóa số liệu đã có; muốn xóa, "
        "dùng màn hình nhập liệu.",
        None,
    ),
    (
        "6. Số liệu 'Đã duyệt (khóa)' không sửa được bằng tệp này; cần mở khóa (có lý do) trước.",
        None,
    ),
    (
        "7. Không thêm, xóa, đổi thứ tự dòng hay sheet; không bỏ khóa sheet. Các cột ẩn giúp "
        "phần mềm nhận ra từng số liệu; tệp bị sửa cấu trúc sẽ bị từ chối.",
        None,
    ),
    (
        "8. Lưu tệp dạng .xlsx (Excel, LibreOffice hoặc WPS đều được; không lưu dạng .xlsm "
        "có macro) rồi tải lên ở trang 'Nhập số liệu từ Excel'.",
        None,
    ),
    (
        "9. Trước khi ghi, phần mềm kiểm tra toàn bộ tệp và liệt kê mọi lỗi (sheet, dòng, cột, "
        "lý do); chỉ cần một lỗi là không ghi gì. Nếu không có lỗi, bạn xem trước số liệu mới, "
        "thay đổi, không đổi rồi mới xác nhận ghi.",
        None,
    ),
    (
        "10. Nếu người khác đã sửa một số liệu sau khi bạn tải mẫu, dòng đó được báo là xung đột; "
        "hãy tải mẫu mới.",
        None,
    ),
]


def write_help(sheet, root, catalog, period) -> None:
    sheet.column_dimensions["A"].width = 110
    sheet.protection.sheet = True
    for text, style in HELP:
        sheet.append([styled_cell(sheet, text, style or "tc_help")])
    sheet.append([])
    sheet.append([f"Đơn vị: {unit_label(root)} ({root.official_code})"])
    sheet.append([f"Kỳ: {period} ({period_label(period)})"])
    sheet.append([f"Bộ tiêu chí: {catalog.key}, phiên bản {catalog.version}"])
