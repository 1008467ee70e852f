# -*- coding: utf-8 -*-
"""Drives intake's Open311 endpoint with two real GeoReport v2 clients from PyPI that only run
on Python 2.7: open311 1.1 (Code for America, XML by default) and three 0.8.0 (JSON and XML).

Usage: python2.7 open311_clients_py2.py BASE_URL API_KEY REQUEST_ID
Prints "OK <client>" for each client that passed; exits non-zero on the first mismatch."""
import sys

base, api_key, request_id = sys.argv[1], sys.argv[2], sys.argv[3]


def listify(value):
    return value if isinstance(value, list) else [value]


def check_open311():
    import urllib2
    from open311 import Open311
    # Its service_list always fetches services.xml, so it works in its default format only.
    for fmt in ("xml",):
        client = Open311(endpoint=base, api_key=api_key, format=fmt)
        services = client.service_list()
        assert services, fmt
        created = client.post_service_request(service_code="city.sanitation", address_id="330901003002004",
                                              description="open311 1.1 report", phone="13812348888")
        if fmt == "xml":
            created_id = created["service_requests"]["request"]["service_request_id"]
        else:
            created_id = created[0]["service_request_id"]
        single = client.get_service_request(created_id)
        if fmt == "xml":
            single = single["service_requests"]["request"]
        else:
            single = single[0]
        assert single["service_request_id"] == created_id, single
        token = client.request_id_from_token(created_id)
        assert created_id in str(token), token
        found = client.service_requests(service_request_id=request_id)
        assert request_id in str(found), found
        # The client asks for service/{code} (the spec says services/): an Open311 error comes back.
        try:
            client.service_definition("city.sanitation")
            raise AssertionError("service/{code} should not exist")
        except urllib2.HTTPError as e:
            assert e.code == 404 and "<code>404</code>" in e.read() if fmt == "xml" else e.code == 404
    print("OK open311 1.1")


def check_three():
    from three import Three
    for fmt in ("json", "xml"):
        client = Three(base + "/", api_key=api_key, format=fmt)
        services = client.services()
        created = client.post("city.sanitation", address="西城街道 三号楼", name="Si Li", phone="13812347777",
                              description="three 0.8.0 report (%s)" % fmt, address_id="330901003002004")
        created = listify(created if fmt == "json" else created["request"])[0]
        created_id = created["service_request_id"]
        single = listify(client.request(created_id) if fmt == "json" else client.request(created_id)["request"])[0]
        assert single["service_request_id"] == created_id, single
        recent = client.requests("city.sanitation", status="open")
        assert created_id in str(recent), recent
        assert created_id in str(client.token(created_id))
        assert services
    print("OK three 0.8.0")


check_open311()
check_three()
