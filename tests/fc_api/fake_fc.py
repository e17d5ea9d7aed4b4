#!/usr/bin/env python3
"""A stand-in for FC 3.0's API (version 2023-03-30) on 127.0.0.1, for cargo fc's tests.

It is as strict as the real gateway where the official SDK (alibabacloud-fc20230330 4.8.3 with
alibabacloud-tea-openapi) can be the judge:

- every request's ACS3-HMAC-SHA256 signature is recomputed with the SDK's own signer,
  `alibabacloud_tea_openapi.utils.Utils.get_authorization`, over exactly the headers the request
  says it signed; a mismatch is answered 403 SignatureNotMatch, an unknown AccessKey ID 403
  InvalidAccessKeyId, an unsigned `x-acs-*`/`host`/`content-type` header 403
  IncompleteSignature, a body whose SHA-256 is not `x-acs-content-sha256` 400;
- every request body must survive the SDK's model classes unchanged:
  `CreateFunctionInput().from_map(body).to_map() == body` (likewise UpdateFunctionInput,
  CreateTriggerInput, UpdateTriggerInput and the trigger type's own config class), so a
  misspelt or unknown field, a wrong type or a null is answered 400 InvalidArgument;
- answers have FC's documented shapes: the function and trigger objects, ListTriggers pages,
  errors as {"Code", "Message", "RequestId"} with FC's codes (FunctionNotFound,
  TriggerNotFound, FunctionAlreadyExists, TriggerAlreadyExists).

Functions and triggers live in memory. Every request is recorded as one JSON line in --record
(method, path, query, action, headers, body size and top-level keys, status, the bytes of
zip it carried) for
the test to inspect. The first line on stdout is `LISTENING <port>`.

Scenario flags: --deny ACTION answers that action 403 AccessDenied with an AccessDeniedDetail;
--throttle ACTION=N answers the first N calls of it 429 Throttling; --pending-polls N makes a
function report state Pending / lastUpdateStatus InProgress for N GetFunction calls after each
write; --tls CERT_DIR serves HTTPS with a CA and a certificate for 127.0.0.1 written there
(ca.pem is the root to trust); --invoke-error TYPE makes InvokeFunction report a function error.
"""

import argparse
import base64
import datetime
import hashlib
import json
import os
import re
import ssl
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from alibabacloud_fc20230330 import models
from alibabacloud_tea_openapi.utils import Utils
from darabonba.request import DaraRequest

API = "/2023-03-30"
SIGN_TYPE = "ACS3-HMAC-SHA256"

# triggerType -> the SDK's class for its triggerConfig.
TRIGGER_CONFIGS = {
    "http": models.HTTPTriggerConfig,
    "timer": models.TimerTriggerConfig,
    "oss": models.OSSTriggerConfig,
    "log": models.SLSTriggerConfig,
    "mns_topic": models.MNSTopicTriggerConfig,
    "cdn_events": models.CDNTriggerConfig,
    "eventbridge": models.EventBridgeTriggerConfig,
}


def crc64_xz(data):
    """CRC-64/XZ (ECMA-182, reflected), FC's codeChecksum; check value of b"123456789" is
    0x995dc9bbdf1939fa."""
    poly = 0xC96C5795D7870F42
    table = []
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ poly if crc & 1 else crc >> 1
        table.append(crc)
    crc = 0xFFFFFFFFFFFFFFFF
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFFFFFFFFFF


assert crc64_xz(b"123456789") == 0x995DC9BBDF1939FA


class FcError(Exception):
    def __init__(self, status, code, message, extra=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra or {}


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def round_trip(model_class, body, what):
    """The SDK's model must give back exactly what was sent."""
    if not isinstance(body, dict):
        raise FcError(400, "InvalidArgument", f"{what} must be a JSON object")
    again = model_class().from_map(body).to_map()
    if again != body:
        lost = sorted(set(body) - set(again))
        added = sorted(set(again) - set(body))
        changed = sorted(k for k in set(body) & set(again) if body[k] != again[k])
        raise FcError(
            400,
            "InvalidArgument",
            f"{what} does not round-trip through the SDK's {model_class.__name__}: "
            f"unknown or null fields {lost}, fields the SDK adds {added}, changed {changed}",
        )


class State:
    def __init__(self, args):
        self.lock = threading.Lock()
        self.functions = {}
        self.triggers = {}
        self.pending = {}
        self.calls = {}
        self.args = args
        self.region = args.region
        self.account = "1234567890123456"

    def count(self, action):
        self.calls[action] = self.calls.get(action, 0) + 1
        return self.calls[action]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-fc"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def do_PUT(self):
        self.handle_any()

    def do_DELETE(self):
        self.handle_any()

    def handle_any(self):
        state = self.server.state
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        request_id = str(uuid.uuid4()).upper()
        record = {
            "method": self.command,
            "path": url.path,
            "query": query,
            "action": self.headers.get("x-acs-action"),
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body_bytes": len(body),
            "body_keys": None,
            "code_bytes": 0,
        }
        status, payload, headers = 500, {}, {}
        try:
            self.check_signature(url.path, query, body)
            with state.lock:
                status, payload, headers = self.route(state, url.path, query, body, record)
        except FcError as error:
            status = error.status
            payload = {"Code": error.code, "Message": error.message, "RequestId": request_id}
            payload.update(error.extra)
        except Exception as error:  # A bug of the fake must show, not pass as FC's answer.
            status = 500
            payload = {"Code": "FakeFcBug", "Message": repr(error), "RequestId": request_id}
        record["status"] = status
        record["error_code"] = payload.get("Code") if isinstance(payload, dict) and status >= 400 else None
        self.server.record(record)
        self.answer(status, payload, headers, request_id)

    def answer(self, status, payload, headers, request_id):
        if isinstance(payload, (bytes, bytearray)):
            data = bytes(payload)
            content_type = "application/octet-stream"
        elif payload is None:
            data = b""
            content_type = None
        else:
            data = json.dumps(payload).encode()
            content_type = "application/json"
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-acs-request-id", request_id)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def check_signature(self, path, query, body):
        args = self.server.state.args
        authorization = self.headers.get("authorization") or ""
        match = re.fullmatch(
            r"ACS3-HMAC-SHA256 Credential=([^,]*),SignedHeaders=([^,]*),Signature=([0-9a-f]+)",
            authorization,
        )
        if not match:
            raise FcError(403, "IncompleteSignature", "the Authorization header is not ACS3-HMAC-SHA256")
        access_key_id, signed, _signature = match.groups()
        if access_key_id != args.access_key_id:
            raise FcError(403, "InvalidAccessKeyId", f"Specified access key is not found: {access_key_id}")
        names = signed.split(";")
        if names != sorted(names):
            raise FcError(403, "IncompleteSignature", "SignedHeaders are not sorted")
        present = {k.lower() for k in self.headers.keys()}
        must_sign = {n for n in present if n.startswith("x-acs-") or n in ("host", "content-type")}
        if not must_sign <= set(names):
            raise FcError(403, "IncompleteSignature", f"headers not signed: {sorted(must_sign - set(names))}")
        for required in ("host", "x-acs-action", "x-acs-version", "x-acs-date",
                         "x-acs-signature-nonce", "x-acs-content-sha256"):
            if required not in names:
                raise FcError(403, "IncompleteSignature", f"{required} is not signed")
        payload_hash = hashlib.sha256(body).hexdigest()
        if self.headers.get("x-acs-content-sha256") != payload_hash:
            raise FcError(400, "InvalidArgument", "x-acs-content-sha256 is not the SHA-256 of the body")
        if self.headers.get("x-acs-version") != "2023-03-30":
            raise FcError(400, "InvalidArgument", "x-acs-version must be 2023-03-30")
        sent = datetime.datetime.strptime(self.headers.get("x-acs-date", ""), "%Y-%m-%dT%H:%M:%SZ")
        sent = sent.replace(tzinfo=datetime.timezone.utc)
        if abs((datetime.datetime.now(datetime.timezone.utc) - sent).total_seconds()) > 900:
            raise FcError(403, "InvalidTimeStamp.Expired", "the request's x-acs-date is more than 15 minutes off")
        if args.security_token:
            if self.headers.get("x-acs-security-token") != args.security_token:
                raise FcError(403, "InvalidSecurityToken.Mismatch", "the STS token is wrong or missing")
        request = DaraRequest()
        request.method = self.command
        request.pathname = path
        request.query = query
        request.headers = {name: self.headers.get(name) for name in names}
        expected = Utils.get_authorization(request, SIGN_TYPE, payload_hash, args.access_key_id, args.access_key_secret)
        if expected != authorization:
            raise FcError(
                403,
                "SignatureNotMatch",
                "The request signature does not conform to Aliyun standards.",
            )
        action = self.headers.get("x-acs-action")
        if action in args.deny:
            raise FcError(
                403,
                "AccessDenied",
                f"You are not authorized to do this action. Resource: acs:fc:{args.region}:1234567890123456:functions/* Action: fc:{action}",
                {"AccessDeniedDetail": {"AuthAction": f"fc:{action}", "NoPermissionType": "ImplicitDeny",
                                        "PolicyType": "AccountLevelIdentityBasedPolicy", "AuthPrincipalType": "SubUser"}},
            )
        limit = args.throttle.get(action, 0)
        if limit and self.server.state.count("throttle:" + action) <= limit:
            raise FcError(429, "Throttling", "Request was denied due to request throttling.")

    def route(self, state, path, query, body, record):
        if not path.startswith(API + "/"):
            raise FcError(404, "PathNotSupported", f"no API at {path}")
        parts = [unquote(p) for p in path[len(API) + 1:].split("/")]
        action = self.headers.get("x-acs-action")
        method = self.command
        routes = {
            ("POST", 1): "CreateFunction",
            ("GET", 2): "GetFunction",
            ("PUT", 2): "UpdateFunction",
            ("DELETE", 2): "DeleteFunction",
            ("GET", 3): "ListTriggers",
            ("POST", 3): "CreateTrigger",
            ("GET", 4): "GetTrigger",
            ("PUT", 4): "UpdateTrigger",
            ("DELETE", 4): "DeleteTrigger",
        }
        if parts[0] != "functions":
            raise FcError(404, "PathNotSupported", f"no API at {path}")
        if len(parts) == 3 and parts[2] == "invocations" and method == "POST":
            expected = "InvokeFunction"
        elif len(parts) in (3, 4) and parts[2] != "triggers":
            raise FcError(404, "PathNotSupported", f"no API at {path}")
        else:
            expected = routes.get((method, len(parts)))
        if expected is None:
            raise FcError(405, "MethodNotAllowed", f"{method} {path}")
        if action != expected:
            raise FcError(400, "InvalidAction", f"x-acs-action is {action}, but {method} {path} is {expected}")
        data = None
        if method in ("POST", "PUT") and expected != "InvokeFunction":
            if not self.headers.get("content-type", "").startswith("application/json"):
                raise FcError(400, "InvalidArgument", "the body must be application/json")
            try:
                data = json.loads(body)
            except ValueError as error:
                raise FcError(400, "InvalidArgument", f"the body is not JSON: {error}")
            if isinstance(data, dict):
                record["body_keys"] = sorted(data)
        handler = getattr(self, "op_" + expected)
        return handler(state, parts, query, data, body, record)

    # Functions.

    def function_or_404(self, state, name):
        function = state.functions.get(name)
        if function is None:
            raise FcError(404, "FunctionNotFound", f"function '{name}' does not exist")
        return function

    def store_code(self, function, code, record):
        if code is None:
            return
        zip_file = code.get("zipFile")
        if zip_file is None:
            raise FcError(400, "InvalidArgument", "code must carry zipFile (OSS is not emulated)")
        data = base64.b64decode(zip_file, validate=True)
        if not data.startswith(b"PK"):
            raise FcError(400, "InvalidArgument", "code.zipFile is not a zip")
        checksum = str(crc64_xz(data))
        if code.get("checksum") is not None and code["checksum"] != checksum:
            raise FcError(400, "CodeChecksumNotMatch", f"code.checksum {code['checksum']} is not the zip's CRC-64 {checksum}")
        function["codeChecksum"] = checksum
        function["codeSize"] = len(data)
        record["code_bytes"] = len(data)

    def mark_written(self, state, function):
        function["lastModifiedTime"] = now_iso()
        if state.args.pending_polls:
            state.pending[function["functionName"]] = state.args.pending_polls
            function["state"] = "Pending"
            function["lastUpdateStatus"] = "InProgress"
        else:
            function["state"] = "Active"
            function["lastUpdateStatus"] = "Successful"

    def op_CreateFunction(self, state, parts, query, data, body, record):
        round_trip(models.CreateFunctionInput, data, "the CreateFunction body")
        for required in ("functionName", "runtime", "handler"):
            if not data.get(required):
                raise FcError(400, "MissingRequiredParameter", f"{required} is required")
        name = data["functionName"]
        if name in state.functions:
            raise FcError(409, "FunctionAlreadyExists", f"function '{name}' already exists")
        function = {
            # Defaults FC documents for a field left out (SDK model docs: internetAccess
            # "Default value: true"; timeout 3 s; diskSize 512 MB; one request per instance).
            "timeout": 3,
            "diskSize": 512,
            "internetAccess": True,
            "instanceConcurrency": 1,
            "environmentVariables": {},
            "layers": [],
        }
        code = data.get("code")
        function.update({k: v for k, v in data.items() if k not in ("code", "layers")})
        function["layers"] = [{"arn": arn, "size": 0} for arn in data.get("layers") or []]
        function["functionId"] = str(uuid.uuid4())
        function["functionArn"] = f"acs:fc:{state.region}:{state.account}:functions/{name}"
        function["createdTime"] = now_iso()
        self.store_code(function, code, record)
        self.mark_written(state, function)
        state.functions[name] = function
        state.triggers[name] = {}
        return 200, function, {}

    def op_GetFunction(self, state, parts, query, data, body, record):
        function = self.function_or_404(state, parts[1])
        name = function["functionName"]
        left = state.pending.get(name, 0)
        if left > 0:
            state.pending[name] = left - 1
        else:
            function["state"] = "Active"
            function["lastUpdateStatus"] = "Successful"
        return 200, function, {}

    def op_UpdateFunction(self, state, parts, query, data, body, record):
        round_trip(models.UpdateFunctionInput, data, "the UpdateFunction body")
        function = self.function_or_404(state, parts[1])
        code = data.get("code")
        for key, value in data.items():
            if key == "code":
                continue
            if key == "layers":
                function["layers"] = [{"arn": arn, "size": 0} for arn in value]
            else:
                function[key] = value
        self.store_code(function, code, record)
        self.mark_written(state, function)
        return 200, function, {}

    def op_DeleteFunction(self, state, parts, query, data, body, record):
        self.function_or_404(state, parts[1])
        if state.triggers.get(parts[1]):
            raise FcError(412, "FunctionNotEmpty", "delete the function's triggers first")
        del state.functions[parts[1]]
        return 204, None, {}

    # Triggers.

    def check_trigger_config(self, trigger_type, text):
        config_class = TRIGGER_CONFIGS.get(trigger_type)
        if config_class is None:
            raise FcError(400, "InvalidArgument", f"unknown triggerType {trigger_type}")
        try:
            config = json.loads(text)
        except (TypeError, ValueError):
            raise FcError(400, "InvalidArgument", "triggerConfig must be a JSON string")
        round_trip(config_class, config, f"the {trigger_type} triggerConfig")

    def trigger_or_404(self, state, function, name):
        trigger = state.triggers.get(function, {}).get(name)
        if trigger is None:
            raise FcError(404, "TriggerNotFound", f"trigger '{name}' does not exist in function '{function}'")
        return trigger

    def op_CreateTrigger(self, state, parts, query, data, body, record):
        function = self.function_or_404(state, parts[1])
        round_trip(models.CreateTriggerInput, data, "the CreateTrigger body")
        for required in ("triggerName", "triggerType", "triggerConfig"):
            if not data.get(required):
                raise FcError(400, "MissingRequiredParameter", f"{required} is required")
        self.check_trigger_config(data["triggerType"], data["triggerConfig"])
        triggers = state.triggers[parts[1]]
        name = data["triggerName"]
        if name in triggers:
            raise FcError(409, "TriggerAlreadyExists", f"trigger '{name}' already exists")
        if data["triggerType"] == "http" and any(t["triggerType"] == "http" for t in triggers.values()):
            raise FcError(400, "InvalidArgument", "a function has at most one HTTP trigger")
        trigger = dict(data)
        trigger.update({
            "triggerId": str(uuid.uuid4()),
            "createdTime": now_iso(),
            "lastModifiedTime": now_iso(),
            "status": "Ready",
            "targetArn": function["functionArn"],
            "qualifier": data.get("qualifier", "LATEST"),
        })
        if data["triggerType"] == "http":
            host = f"{parts[1]}-{trigger['triggerId'][:10]}.{state.region}.fcapp.run"
            trigger["httpTrigger"] = {"urlInternet": f"https://{host}", "urlIntranet": f"https://{host.replace('.fcapp.run', '-vpc.fcapp.run')}"}
        triggers[name] = trigger
        return 200, trigger, {}

    def op_ListTriggers(self, state, parts, query, data, body, record):
        self.function_or_404(state, parts[1])
        limit = int(query.get("limit") or 20)
        if not 1 <= limit <= 100:
            raise FcError(400, "InvalidArgument", "limit must be 1 to 100")
        names = sorted(n for n in state.triggers[parts[1]] if n.startswith(query.get("prefix", "")))
        start = query.get("nextToken") or ""
        names = [n for n in names if n > start] if start else names
        page = names[:limit]
        result = {"triggers": [state.triggers[parts[1]][n] for n in page]}
        if len(names) > limit:
            result["nextToken"] = page[-1]
        return 200, result, {}

    def op_GetTrigger(self, state, parts, query, data, body, record):
        self.function_or_404(state, parts[1])
        return 200, self.trigger_or_404(state, parts[1], parts[3]), {}

    def op_UpdateTrigger(self, state, parts, query, data, body, record):
        self.function_or_404(state, parts[1])
        trigger = self.trigger_or_404(state, parts[1], parts[3])
        round_trip(models.UpdateTriggerInput, data, "the UpdateTrigger body")
        if "triggerConfig" in data:
            self.check_trigger_config(trigger["triggerType"], data["triggerConfig"])
        trigger.update(data)
        trigger["lastModifiedTime"] = now_iso()
        return 200, trigger, {}

    def op_DeleteTrigger(self, state, parts, query, data, body, record):
        self.function_or_404(state, parts[1])
        self.trigger_or_404(state, parts[1], parts[3])
        del state.triggers[parts[1]][parts[3]]
        return 204, None, {}

    # Invocations.

    def op_InvokeFunction(self, state, parts, query, data, body, record):
        function = self.function_or_404(state, parts[1])
        request_id = str(uuid.uuid4())
        log = (
            f"FC Invoke Start RequestId: {request_id}\n"
            f"fake-fc received {len(body)} bytes\n"
            f"FC Invoke End RequestId: {request_id}\n"
            f"Duration: 1.00 ms, Billed Duration: 1 ms, Memory Size: {function.get('memorySize', 512)} MB, Max Memory Used: 10.00 MB\n"
        )
        headers = {"x-fc-request-id": request_id, "x-fc-code-checksum": function.get("codeChecksum", "")}
        if self.headers.get("x-fc-log-type") == "Tail":
            headers["x-fc-log-result"] = base64.b64encode(log.encode()).decode()
        error_type = state.args.invoke_error
        if error_type:
            headers["x-fc-error-type"] = error_type
            result = json.dumps({"errorMessage": "the fake function failed", "errorType": "FakeError"}).encode()
            return 200, result, headers
        # The fake runs nothing: it answers with the payload it received.
        return 200, body, headers


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, state, record_path):
        super().__init__(address, Handler)
        self.state = state
        self.record_lock = threading.Lock()
        self.record_path = record_path

    def record(self, entry):
        if not self.record_path:
            return
        with self.record_lock, open(self.record_path, "a") as out:
            out.write(json.dumps(entry) + "\n")


def make_certificates(directory):
    """A CA and a certificate for 127.0.0.1 signed by it, with the cryptography package the
    SDK installs."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    os.makedirs(directory, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake-fc test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = {name: os.path.join(directory, name) for name in ("ca.pem", "cert.pem", "key.pem")}
    with open(paths["ca.pem"], "wb") as out:
        out.write(ca.public_bytes(serialization.Encoding.PEM))
    with open(paths["cert.pem"], "wb") as out:
        out.write(leaf.public_bytes(serialization.Encoding.PEM))
    with open(paths["key.pem"], "wb") as out:
        out.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    return paths


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--access-key-id", required=True)
    parser.add_argument("--access-key-secret", required=True)
    parser.add_argument("--security-token")
    parser.add_argument("--region", default="cn-hangzhou")
    parser.add_argument("--record")
    parser.add_argument("--deny", action="append", default=[])
    parser.add_argument("--throttle", action="append", default=[])
    parser.add_argument("--pending-polls", type=int, default=0)
    parser.add_argument("--invoke-error")
    parser.add_argument("--tls")
    parser.add_argument("--lifetime", type=float, default=600.0,
                        help="seconds after which the fake stops by itself")
    args = parser.parse_args()
    args.throttle = {k: int(v) for k, v in (t.split("=", 1) for t in args.throttle)}
    state = State(args)
    server = Server(("127.0.0.1", args.port), state, args.record)
    if args.tls:
        paths = make_certificates(args.tls)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(paths["cert.pem"], paths["key.pem"])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(f"LISTENING {server.server_address[1]}", flush=True)
    # Never outlive a test that forgot it: stop by itself, or when stdin closes.
    timer = threading.Timer(args.lifetime, server.shutdown)
    timer.daemon = True
    timer.start()

    def watch_stdin():
        sys.stdin.read()
        server.shutdown()

    threading.Thread(target=watch_stdin, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
