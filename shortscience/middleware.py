from django.core.exceptions import BadRequest


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
