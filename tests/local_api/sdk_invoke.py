#!/usr/bin/env python3
"""The official FC 3.0 SDK (alibabacloud-fc20230330) against `cargo fc local start`.

Usage: sdk_invoke.py PORT. The server serves the end-to-end fixture's functions: `fixture`
(JSON commands: echo, fail, …) and `raw` (answers the event's bytes in hex). Checks what a user
of the SDK sees: the body, the request id, the decoded log tail with FC's Start/End markers, a
function error as FC 3.0 reports it (status 200, `x-fc-error-type`, the error JSON as the body),
an accepted asynchronous invocation, FunctionNotFound. Prints one JSON object (what the Rust
test checks further) and exits 0; prints what differed and exits 1 otherwise.
"""

import base64
import io
import json
import sys

from alibabacloud_fc20230330 import models
from alibabacloud_fc20230330.client import Client
from alibabacloud_tea_openapi import utils_models
from alibabacloud_tea_openapi.exceptions import ClientException
from darabonba.runtime import RuntimeOptions


def expect(condition, what):
    if not condition:
        print(f"sdk_invoke: FAILED: {what}", file=sys.stderr)
        sys.exit(1)


def main():
    port = int(sys.argv[1])
    # Any credentials: the emulator checks no signature.
    sdk = Client(utils_models.Config(
        access_key_id="LTAIlocal",
        access_key_secret="any-secret",
        endpoint=f"127.0.0.1:{port}",
        protocol="http",
        region_id="cn-hangzhou",
    ))

    def invoke(function, payload, qualifier=None, **headers):
        return sdk.invoke_function_with_options(
            function,
            models.InvokeFunctionRequest(body=io.BytesIO(payload), qualifier=qualifier),
            models.InvokeFunctionHeaders(**headers),
            RuntimeOptions(),
        )

    answered = invoke("fixture", b'{"action":"echo","text":"sdk"}', qualifier="LATEST", x_fc_log_type="Tail")
    expect(answered.status_code == 200, f"status 200, not {answered.status_code}")
    seen = json.loads(answered.body.read())
    request_id = answered.headers.get("x-fc-request-id")
    expect(request_id, f"x-fc-request-id is set: {answered.headers}")
    expect(seen["text"] == "sdk", f"the function's answer comes back: {seen}")
    expect(seen["request_id"] == request_id, "the function saw the request id the SDK got")
    expect("x-fc-error-type" not in answered.headers, "no error type on success")
    log = base64.b64decode(answered.headers["x-fc-log-result"]).decode()
    lines = log.splitlines()
    start, end = f"FC Invoke Start RequestId: {request_id}", f"FC Invoke End RequestId: {request_id}"
    expect(start in lines and end in lines, f"the tail has FC's markers:\n{log}")
    expect(lines.index(start) < lines.index(end), f"Start before End:\n{log}")
    expect(lines[-1].startswith("Duration: "), f"the tail ends with FC's report line:\n{log}")

    failed = invoke("fixture", b'{"action":"fail","text":"boom"}')
    expect(failed.status_code == 200, f"a function error is status 200, not {failed.status_code}")
    expect(failed.headers.get("x-fc-error-type") == "UnhandledInvocationError",
           f"x-fc-error-type: {failed.headers}")
    error = json.loads(failed.body.read())
    expect(error["errorType"] == "FixtureError" and error["errorMessage"] == "boom",
           f"the function's error JSON is the body: {error}")
    expect(failed.headers.get("x-fc-request-id"), "an error has a request id too")

    queued = invoke("fixture", b'{"action":"echo","text":"later"}', x_fc_invocation_type="Async")
    expect(queued.status_code == 202, f"an async invocation is accepted (202), not {queued.status_code}")
    async_id = queued.headers.get("x-fc-request-id")
    expect(async_id, "an async invocation has a request id")

    raw = invoke("raw", b"ab")
    expect(raw.body.read() == b"6162", "the second function answers through the same API")

    try:
        invoke("missing", b"{}")
        expect(False, "invoking a missing function fails")
    except ClientException as failure:
        expect(failure.code == "FunctionNotFound" and failure.status_code == 404,
               f"FunctionNotFound 404, not {failure.code} {failure.status_code}")
    print(json.dumps({"request_id": request_id, "async_request_id": async_id}))


if __name__ == "__main__":
    main()
