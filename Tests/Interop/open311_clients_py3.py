"""Drives intake's Open311 endpoint with two real GeoReport v2 clients from PyPI, in JSON and
XML where the client speaks it: georeport 0.3.1 and civicbot 0.4.0 (Python 3).

Usage: open311_clients_py3.py BASE_URL API_KEY REQUEST_ID
Prints "OK <client>" for each client that passed; exits non-zero on the first mismatch."""
import sys

base, api_key, request_id = sys.argv[1], sys.argv[2], sys.argv[3]


def listify(value):
    return value if isinstance(value, list) else [value]


def check_georeport():
    from georeport import GeoReport
    for fmt in ("json", "xml"):
        client = GeoReport(base, output_format=fmt)
        codes = {s["service_code"] for s in client.get_service_list()}
        assert "city.sanitation" in codes and len(codes) >= 80, (fmt, len(codes))
        attributes = client.get_service_definition("city.sanitation")["attributes"]
        if fmt == "xml":
            attributes = attributes["attribute"]
        assert any(a["code"] == "kind" for a in attributes), (fmt, attributes)
        requests = listify(client.get_service_requests(service_request_id=request_id))
        assert requests[0]["service_request_id"] == request_id, (fmt, requests)
        assert requests[0]["status"] in ("open", "closed")
        single = client.get_service_request(request_id)
        assert single["service_request_id"] == request_id and single["service_code"] == "city.sanitation", (fmt, single)
        assert "description" not in single, "content is personal data: not in public reads"
        recent = listify(client.get_service_requests(status="open", service_code="city.sanitation"))
        assert any(r["service_request_id"] == request_id for r in recent), (fmt, recent)
    print("OK georeport 0.3.1")


def check_civicbot():
    from civicbot import Open311Client
    from civicbot.http import HttpTransport, RateLimiter
    from civicbot.registry import Endpoint
    endpoint = Endpoint(id="qinghe", name="清河县 12345", base_url=base, write=True)
    client = Open311Client(endpoint, transport=HttpTransport(rate_limiter=RateLimiter(min_interval=0)))
    services = client.list_services()
    assert any(s["service_code"] == "city.sanitation" for s in services)
    # Its own validation against the live definition, then a real create.
    prepared = client.create_request("city.sanitation", dry_run=False, confirm="SEND", api_key=api_key, validate_remote=True,
                                     address_id="330901003002004", description="civicbot: 路灯不亮", first_name="Ming",
                                     last_name="Zhang", phone="13812349999", attributes={"kind": "complaint"})
    created = listify(prepared.response)[0]["service_request_id"]
    assert client.get_request(created)["service_request_id"] == created
    token = listify(client.get_token(created))[0]
    assert token["service_request_id"] == created and token["token"] == created
    recent = client.list_requests(service_request_ids=[request_id, created])
    assert {r["service_request_id"] for r in recent} == {request_id, created}, recent
    print("OK civicbot 0.4.0")


check_georeport()
check_civicbot()
