#!/usr/bin/env python3
"""Proves the fake FC is faithful: the official SDK (alibabacloud-fc20230330) talks to it.

Starts fake_fc.py, then runs the SDK's own client against it: CreateFunction with inline code,
GetFunction, UpdateFunction, the trigger calls, ListTriggers, InvokeFunction, and the errors
(FunctionNotFound, a wrong secret → SignatureNotMatch). Exits 0 when every answer is what the
SDK expects; prints what differed otherwise.
"""

import base64
import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile

from alibabacloud_fc20230330 import models
from alibabacloud_fc20230330.client import Client
from alibabacloud_tea_openapi import utils_models
from alibabacloud_tea_openapi.exceptions import ClientException
from darabonba.runtime import RuntimeOptions

HERE = os.path.dirname(os.path.abspath(__file__))
AK, SECRET = "LTAIsdkcheck", "sdk-check-secret"


def client(port, secret=SECRET):
    config = utils_models.Config(
        access_key_id=AK,
        access_key_secret=secret,
        endpoint=f"127.0.0.1:{port}",
        protocol="http",
        region_id="cn-hangzhou",
    )
    return Client(config)


def zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("bootstrap")
        info.external_attr = 0o755 << 16
        archive.writestr(info, "#!/bin/sh\necho hi\n")
    return buffer.getvalue()


def expect(condition, what):
    if not condition:
        print(f"sdk_check: FAILED: {what}", file=sys.stderr)
        sys.exit(1)


def the_round_trip_guard_rejects_what_the_sdk_would_not_send():
    sys.path.insert(0, HERE)
    import fake_fc

    for body in (
        {"functionName": "f", "runtime": "custom", "handler": "h", "memorysize": 128, "tags": []},
        {"functionName": "f", "runtime": "custom", "handler": "h", "description": None, "tags": []},
        {"functionName": "f", "runtime": "custom", "handler": "h"},  # the SDK always sends tags
    ):
        try:
            fake_fc.round_trip(models.CreateFunctionInput, body, "a body")
            expect(False, f"the fake accepted {body}")
        except fake_fc.FcError as error:
            expect(error.code == "InvalidArgument", f"{body}: {error.code}")
    fake_fc.round_trip(models.CreateFunctionInput,
                       {"functionName": "f", "runtime": "custom", "handler": "h", "tags": []}, "a body")


def main():
    the_round_trip_guard_rejects_what_the_sdk_would_not_send()
    record = tempfile.NamedTemporaryFile(prefix="fake-fc-", suffix=".jsonl", delete=False).name
    fake = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "fake_fc.py"), "--access-key-id", AK,
         "--access-key-secret", SECRET, "--record", record, "--lifetime", "120"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        port = int(fake.stdout.readline().split()[1])
        sdk = client(port)
        code = zip_bytes()
        created = sdk.create_function(models.CreateFunctionRequest(body=models.CreateFunctionInput(
            function_name="sdk-fn",
            runtime="custom.debian10",
            handler="index.handler",
            memory_size=512,
            custom_runtime_config=models.CustomRuntimeConfig(command=["/code/bootstrap"], port=9000),
            environment_variables={"RUST_LOG": "info"},
            code=models.InputCodeLocation(zip_file=base64.b64encode(code).decode()),
        )))
        expect(created.status_code == 200, f"CreateFunction status {created.status_code}")
        expect(created.body.function_name == "sdk-fn", "CreateFunction returned the function")
        expect(created.body.code_size == len(code), "codeSize is the zip's size")
        got = sdk.get_function("sdk-fn", models.GetFunctionRequest())
        expect(got.body.memory_size == 512, "GetFunction has memorySize")
        expect(got.body.code_checksum == created.body.code_checksum, "codeChecksum is stable")
        updated = sdk.update_function("sdk-fn", models.UpdateFunctionRequest(
            body=models.UpdateFunctionInput(memory_size=1024)))
        expect(updated.body.memory_size == 1024, "UpdateFunction changed memorySize")
        trigger = sdk.create_trigger("sdk-fn", models.CreateTriggerRequest(body=models.CreateTriggerInput(
            trigger_name="http", trigger_type="http",
            trigger_config=json.dumps({"authType": "anonymous", "methods": ["GET", "POST"]}),
        )))
        expect(trigger.body.http_trigger.url_internet.startswith("https://"), "an HTTP trigger has a URL")
        sdk.create_trigger("sdk-fn", models.CreateTriggerRequest(body=models.CreateTriggerInput(
            trigger_name="tick", trigger_type="timer",
            trigger_config=json.dumps({"cronExpression": "@every 5m", "enable": True}),
        )))
        listed = sdk.list_triggers("sdk-fn", models.ListTriggersRequest(limit=1))
        expect(len(listed.body.triggers) == 1 and listed.body.next_token, "ListTriggers pages")
        rest = sdk.list_triggers("sdk-fn", models.ListTriggersRequest(limit=1, next_token=listed.body.next_token))
        expect([t.trigger_name for t in rest.body.triggers] == ["tick"], "ListTriggers' second page")
        sdk.update_trigger("sdk-fn", "tick", models.UpdateTriggerRequest(body=models.UpdateTriggerInput(
            trigger_config=json.dumps({"cronExpression": "@every 10m", "enable": False}))))
        sdk.delete_trigger("sdk-fn", "tick")
        invoked = sdk.invoke_function_with_options(
            "sdk-fn",
            models.InvokeFunctionRequest(body=io.BytesIO(b'{"name":"x"}')),
            models.InvokeFunctionHeaders(x_fc_log_type="Tail"),
            RuntimeOptions(),
        )
        expect(invoked.body.read() == b'{"name":"x"}', "InvokeFunction answers")
        log = base64.b64decode(invoked.headers["x-fc-log-result"]).decode()
        expect("FC Invoke Start RequestId" in log, "the log tail is returned")
        try:
            sdk.get_function("missing", models.GetFunctionRequest())
            expect(False, "GetFunction of a missing function fails")
        except ClientException as error:
            expect(error.code == "FunctionNotFound" and error.status_code == 404, f"FunctionNotFound, not {error.code}")
        try:
            client(port, secret="wrong").get_function("sdk-fn", models.GetFunctionRequest())
            expect(False, "a wrong secret fails")
        except ClientException as error:
            expect(error.code == "SignatureNotMatch" and error.status_code == 403, f"SignatureNotMatch, not {error.code}")
        with open(record) as lines:
            entries = [json.loads(line) for line in lines]
        expect(all(e["status"] < 500 for e in entries), "the fake had no internal error")
        print(f"sdk_check: ok ({len(entries)} requests)")
    finally:
        fake.stdin.close()
        fake.wait(timeout=10)
        os.unlink(record)


if __name__ == "__main__":
    main()
