"""Zappa's `post` callback: the public may call the function through its URL, and in no other way.

The stages are served by a Lambda function URL with auth type NONE (no API Gateway; see the README's
"Deploy to AWS"). Since October 2025 AWS wants two statements in the function's resource policy for that:
`lambda:InvokeFunctionUrl` for everyone (with `lambda:FunctionUrlAuthType` = NONE) and `lambda:InvokeFunction`
for everyone *through the URL* (`lambda:InvokedViaFunctionUrl` = true). Zappa 0.63 grants the second one to
everyone without that condition, which would let any AWS account invoke the function directly with an event of
its choosing, and Zappa's handler executes a `raw_command` event's Python. After every `zappa deploy` and
`zappa update` this callback puts the condition back; Zappa keeps a statement whose Sid exists, so an update
leaves the narrowed one alone. Run on the machine that deploys, never on Lambda (the package leaves it out).
"""
from __future__ import annotations

import json

# the Sid Zappa gives its statement (zappa.core.FUNCTION_URL_PUBLIC_PERMISSION_RULES)
INVOKE_SID = "FunctionURLAllowPublicAccessInvoke"
THROUGH_THE_URL = {"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}


def function_policy_statements(lambda_client, function_name: str) -> list[dict]:
    """The statements of a function's resource policy (none when it has no policy)."""
    try:
        policy = lambda_client.get_policy(FunctionName=function_name)["Policy"]
    except lambda_client.exceptions.ResourceNotFoundException:
        return []
    return json.loads(policy)["Statement"]


def invoke_only_through_the_url(cli) -> None:
    """Replace Zappa's unconditional public lambda:InvokeFunction by one that holds only through the URL."""
    if not cli.use_function_url or cli.function_url_config.get("authorizer") != "NONE":
        return
    client, name = cli.zappa.lambda_client, cli.lambda_name
    statement = next((s for s in function_policy_statements(client, name) if s.get("Sid") == INVOKE_SID), None)
    if statement is not None and statement.get("Condition") == THROUGH_THE_URL:
        return
    if statement is not None:
        client.remove_permission(FunctionName=name, StatementId=INVOKE_SID)
    client.add_permission(FunctionName=name, StatementId=INVOKE_SID, Action="lambda:InvokeFunction",
                          Principal="*", InvokedViaFunctionUrl=True)
    print(f"{name}: lambda:InvokeFunction for everyone only through the function URL")
