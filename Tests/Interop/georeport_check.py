"""Drives intake's Open311 endpoint with the real GeoReport v2 client from PyPI
(georeport 0.3.1), in JSON and in XML. Usage: georeport_check.py BASE_URL REQUEST_ID
Exits non-zero on the first mismatch."""
import sys
from georeport import GeoReport

base, request_id = sys.argv[1], sys.argv[2]
for fmt in ("json", "xml"):
    client = GeoReport(base, output_format=fmt)
    services = client.get_service_list()
    codes = {s["service_code"] for s in services}
    assert "city.sanitation" in codes and len(codes) >= 80, (fmt, len(codes))
    definition = client.get_service_definition("city.sanitation")
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = attributes["attribute"]
    assert any(a["code"] == "kind" for a in attributes), (fmt, attributes)
    requests = client.get_service_requests(service_request_id=request_id)
    if fmt == "xml" and isinstance(requests, dict):
        requests = [requests]
    assert requests[0]["service_request_id"] == request_id, (fmt, requests)
    assert requests[0]["status"] in ("open", "closed")
    single = client.get_service_request(request_id)
    assert single["service_request_id"] == request_id and single["service_code"] == "city.sanitation", (fmt, single)
    assert "description" not in single, "content is personal data: not in public reads"
    recent = client.get_service_requests(status="open", service_code="city.sanitation")
    if fmt == "xml" and isinstance(recent, dict):
        recent = [recent]
    assert any(r["service_request_id"] == request_id for r in recent), (fmt, recent)
print("georeport client OK")
