"""Invoice metadata extraction through the API and a real worker."""

from __future__ import annotations

from tests.support import SAMPLES_DIR, is_final


def test_invoice_metadata_of_a_real_invoice(client, auth_headers, worker, wait_for):
    content = (SAMPLES_DIR / "invoices" / "AzureInterior.pdf").read_bytes()
    submitted = client.post("/invoices/extract_async", headers=auth_headers,
                            files={"file": ("inv.pdf", content, "application/pdf")})
    assert submitted.status_code == 202
    task_id = submitted.json()["task_id"]
    assert wait_for(task_id, auth_headers, is_final)["status"] == "SUCCESS"
    result = client.get(f"/tasks/{task_id}/result", headers=auth_headers).json()["result"]
    assert result == {
        "invoice_number": "INV/2023/03/0008", "invoice_date": "2023-03-20", "due_date": "2023-04-04",
        "vendor": "Azure Interior", "currency": "USD", "subtotal": "262.90", "tax": "16.94",
        "total": "279.84",
    }


def test_invoice_upload_checks(client, auth_headers):
    not_pdf = client.post("/invoices/extract_async", headers=auth_headers,
                          files={"file": ("inv.pdf", b"<html>invoice</html>" * 80, "application/pdf")})
    assert not_pdf.status_code == 415
    no_file = client.post("/invoices/extract_async", headers=auth_headers, data={"x": "1"})
    assert no_file.status_code == 422
    assert client.post("/invoices/extract_async", files={"file": ("a.pdf", b"%PDF-1.4")}).status_code == 401
