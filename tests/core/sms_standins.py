"""Local stand-ins for the SMS providers' endpoints: an http.server on 127.0.0.1 in a thread
that checks each request's signature and payload as the provider documents and answers as the
provider does. The real backend (and its official SDK) is pointed at it.

- Alibaba Cloud, V3 request signature (ACS3-HMAC-SHA256): canonical request = method, URI,
  sorted RFC 3986-encoded query, the signed headers (host, content-type and every x-acs-*)
  "name:value" lines, their names joined by ";", the hex SHA-256 of the body;
  Signature = hex HMAC-SHA256(AccessKeySecret, "ACS3-HMAC-SHA256\\n" + hex SHA-256 of it).
- Tencent Cloud, TC3-HMAC-SHA256: canonical request = method, URI, query, "content-type:…\\n
  host:…\\n", "content-type;host", hex SHA-256 of the JSON body; the signing key derived by
  HMAC-SHA256 from "TC3"+SecretKey over date, service and "tc3_request".
"""

import hashlib
import hmac
import json
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit


class StandIn:
    """Runs ``handle(method, path, headers, body) -> (status, dict)`` on a local port;
    ``requests`` lists what each call carried, for the test to read."""

    content_type = "application/json;charset=utf-8"

    def __init__(self):
        self.requests = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self._answer()

            def do_GET(self):
                self._answer()

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {name.lower(): value for name, value in self.headers.items()}
                status, answer = stand_in.handle(self.command, self.path, headers, body)
                data = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", stand_in.content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def handle(self, method, path, headers, body):
        raise NotImplementedError


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


class AliyunStandIn(StandIn):
    """dysmsapi.aliyuncs.com's SendSms. Numbers in ``refuse`` get a business error."""

    def __init__(self, key_id, secret, refuse=()):
        super().__init__()
        self.key_id, self.secret, self.refuse = key_id, secret, set(refuse)

    def _signature_error(self, headers, method, path, body) -> str:
        auth = headers.get("authorization", "")
        algorithm, _, fields = auth.partition(" ")
        if algorithm != "ACS3-HMAC-SHA256":
            return "unsupported signature algorithm"
        parts = dict(field.split("=", 1) for field in fields.split(","))
        if parts.get("Credential") != self.key_id:
            return "InvalidAccessKeyId.NotFound"
        signed = parts.get("SignedHeaders", "").split(";")
        required = {"host", "x-acs-action", "x-acs-version", "x-acs-date",
                    "x-acs-signature-nonce", "x-acs-content-sha256"}
        if not required <= set(signed) or signed != sorted(signed):
            return "headers not signed"
        if headers.get("x-acs-content-sha256") != _sha256(body):
            return "body hash"
        sent = datetime.strptime(headers["x-acs-date"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        if abs((datetime.now(UTC) - sent).total_seconds()) > 900:
            return "stale date"
        url = urlsplit(path)
        query = sorted(parse_qsl(url.query, keep_blank_values=True))
        canonical_query = "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in query)
        canonical_headers = "".join(f"{name}:{headers.get(name, '').strip()}\n" for name in signed)
        canonical = "\n".join([
            method, url.path or "/", canonical_query, canonical_headers,
            ";".join(signed), headers["x-acs-content-sha256"],
        ])
        to_sign = f"ACS3-HMAC-SHA256\n{_sha256(canonical.encode())}"
        expected = hmac.new(self.secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, parts.get("Signature", "")):
            return "SignatureDoesNotMatch"
        return ""

    def handle(self, method, path, headers, body):
        request_id = str(uuid.uuid4()).upper()
        error = self._signature_error(headers, method, path, body)
        if error:
            return 400, {
                "RequestId": request_id, "HostId": "dysmsapi.aliyuncs.com",
                "Code": "SignatureDoesNotMatch",
                "Message": f"Specified signature is not matched with our calculation. ({error})",
            }
        if headers.get("x-acs-action") != "SendSms" or headers.get("x-acs-version") != "2017-05-25":
            return 404, {"RequestId": request_id, "Code": "InvalidAction.NotFound",
                         "Message": "Specified api is not found"}
        params = dict(parse_qsl(urlsplit(path).query, keep_blank_values=True))
        params.update(dict(parse_qsl(body.decode(), keep_blank_values=True)))
        self.requests.append({"headers": headers, "params": params})
        if params.get("PhoneNumbers") in self.refuse:
            return 200, {"RequestId": request_id, "Code": "isv.BUSINESS_LIMIT_CONTROL",
                         "Message": "触发天级流控Permits:10"}
        return 200, {"RequestId": request_id, "Code": "OK", "Message": "OK",
                     "BizId": f"{int(time.time())}^0"}


class TencentStandIn(StandIn):
    """sms.tencentcloudapi.com's SendSms (2021-01-11). Numbers in ``refuse`` get a per-number
    failure in SendStatusSet, as Tencent answers a number it will not send to."""

    content_type = "application/json"

    def __init__(self, secret_id, secret_key, refuse=()):
        super().__init__()
        self.secret_id, self.secret_key, self.refuse = secret_id, secret_key, set(refuse)

    def _signature_error(self, headers, method, path, body) -> str:
        auth = headers.get("authorization", "")
        algorithm, _, fields = auth.partition(" ")
        if algorithm != "TC3-HMAC-SHA256":
            return "AuthFailure.InvalidAuthorization"
        parts = dict(field.strip().split("=", 1) for field in fields.split(","))
        secret_id, date, service, terminal = parts.get("Credential", "").split("/")
        if secret_id != self.secret_id:
            return "AuthFailure.SecretIdNotFound"
        timestamp = int(headers.get("x-tc-timestamp", "0"))
        if abs(time.time() - timestamp) > 300:
            return "AuthFailure.SignatureExpire"
        if date != datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d") or (
            terminal != "tc3_request" or service != "sms"
        ):
            return "AuthFailure.InvalidAuthorization"
        signed = parts.get("SignedHeaders", "").split(";")
        if not {"content-type", "host"} <= set(signed):
            return "AuthFailure.InvalidAuthorization"
        url = urlsplit(path)
        canonical_headers = "".join(f"{name}:{headers.get(name, '').strip()}\n" for name in signed)
        canonical = "\n".join([
            method, url.path or "/", url.query, canonical_headers, ";".join(signed), _sha256(body),
        ])
        scope = f"{date}/{service}/tc3_request"
        to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{_sha256(canonical.encode())}"
        key = _hmac(_hmac(_hmac(f"TC3{self.secret_key}".encode(), date), service), "tc3_request")
        expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, parts.get("Signature", "")):
            return "AuthFailure.SignatureFailure"
        return ""

    def handle(self, method, path, headers, body):
        request_id = str(uuid.uuid4())
        error = self._signature_error(headers, method, path, body)
        if error:
            return 200, {"Response": {"Error": {
                "Code": error, "Message": "The provided credentials could not be validated."},
                "RequestId": request_id}}
        if headers.get("x-tc-action") != "SendSms" or headers.get("x-tc-version") != "2021-01-11":
            return 200, {"Response": {"Error": {
                "Code": "InvalidAction", "Message": "The action is not supported."},
                "RequestId": request_id}}
        payload = json.loads(body)
        self.requests.append({"headers": headers, "payload": payload})
        statuses = []
        for number in payload["PhoneNumberSet"]:
            if number in self.refuse:
                statuses.append({"SerialNo": "", "PhoneNumber": number, "Fee": 0,
                                 "SessionContext": "", "IsoCode": "CN",
                                 "Code": "FailedOperation.PhoneNumberInBlacklist",
                                 "Message": "phone number in blacklist"})
            else:
                statuses.append({"SerialNo": f"2433:{uuid.uuid4().int % 10**20}",
                                 "PhoneNumber": number, "Fee": 1, "SessionContext": "",
                                 "IsoCode": "CN", "Code": "Ok", "Message": "send success"})
        return 200, {"Response": {"SendStatusSet": statuses, "RequestId": request_id}}
