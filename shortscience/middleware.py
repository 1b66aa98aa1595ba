from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.shortcuts import render

from shortscience.errors import wants_json


def reject_nul_bytes(get_response):
    """Answer 400 to a NUL character in the address or query string.

    PostgreSQL cannot store or compare text containing NUL, so such a value reaching a
    query would end in a 500; no honest link contains one. (Forms already refuse NUL.)
    """

    def middleware(request):
        if "\x00" in request.path or any(
            "\x00" in key or "\x00" in value
            for key, values in request.GET.lists()
            for value in values
        ):
            raise BadRequest("The address contains a NUL character.")
        return get_response(request)

    return middleware


def explain_method_not_allowed(get_response):
    """Give Django's empty 405 answers (require_POST, require_safe) a page that says what
    happened, or {"error": ...} to a fetch(); the Allow header stays."""

    def middleware(request):
        response = get_response(request)
        if response.status_code != 405 or response.content:
            return response
        message = (
            "This address does not take that kind of request: "
            f"it takes {response.get('Allow', 'none')}."
        )
        if wants_json(request):
            explained = JsonResponse({"error": message}, status=405)
        else:
            explained = render(request, "405.html", {"message": message}, status=405)
        if "Allow" in response:
            explained["Allow"] = response["Allow"]
        return explained

    return middleware
