"""KaTeX typesets the math the server leaves in .arithmatex, within the strict CSP."""

import pytest
from playwright.sync_api import expect

from accounts.services import update_profile
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BIO = (
    "Inline $\\theta_t = \\theta_{t-1} - \\alpha \\nabla f$ and display "
    "$$\\mathcal{L}(\\phi) = \\sum_i x_i^2$$"
)
LONG_EQUATION = (
    "$$\\mathcal{L}(\\theta) = "
    + " + ".join(f"\\frac{{\\partial^2 f}}{{\\partial x_{{{i}}}^2}}" for i in range(40))
    + "$$"
)
# Each of these makes KaTeX write a style *attribute*, which the CSP refuses unless
# math.js turns it into a style property: a parse error, a tall stacked delimiter, \oiint.
STYLE_ATTRIBUTE_MATH = (
    "Broken $x^$ and a tall one\n\n"
    "$$\\left(\\begin{matrix}1\\\\2\\\\3\\\\4\\\\5\\\\6\\\\7\\\\8\\end{matrix}\\right)$$\n\n"
    "and $\\oiint_S F$."
)


@pytest.fixture
def member(transactional_db):
    user = UserFactory(username="ada")
    update_profile(user.profile, {"bio": BIO})
    return user


def test_profile_math_is_typeset(page, member, screenshot):
    page.goto("/users/ada/")

    bio = page.locator(".profile__bio")
    expect(bio.locator(".katex")).to_have_count(2)
    expect(bio.locator("span.arithmatex > .katex")).to_have_count(1)
    expect(bio.locator("div.arithmatex > .katex-display")).to_have_count(1)
    text = bio.inner_text()
    screenshot("profile-math")

    assert [marker for marker in ("\\(", "\\)", "\\[", "$", "\\theta") if marker in text] == []
    assert "θ" in text


def test_long_display_equation_scrolls_in_its_box_on_a_phone(page, member, screenshot):
    update_profile(member.profile, {"bio": f"A long one:\n\n{LONG_EQUATION}"})
    page.set_viewport_size({"width": 375, "height": 800})

    page.goto("/users/ada/")
    equation = page.locator("div.arithmatex")
    expect(equation.locator(".katex-display")).to_have_count(1)
    page_width = page.evaluate("document.documentElement.scrollWidth")
    box_widths = equation.evaluate("element => [element.clientWidth, element.scrollWidth]")
    screenshot("profile-math-phone")

    assert page_width <= 375
    assert box_widths[0] < box_widths[1]


def test_math_needing_style_attributes_passes_the_csp(page, member, screenshot):
    # The page fixture fails the test on the console error a CSP violation logs.
    update_profile(member.profile, {"bio": STYLE_ATTRIBUTE_MATH})
    page.emulate_media(color_scheme="dark")

    page.goto("/users/ada/")
    bio = page.locator(".profile__bio")
    expect(bio.locator(".katex-error")).to_have_text("x^")
    expect(bio.locator(".katex")).to_have_count(2)
    expect(bio.locator(".katex-display")).to_have_count(1)
    error_colour = bio.locator(".katex-error").evaluate(
        "element => getComputedStyle(element).color"
    )
    screenshot("profile-math-csp")

    assert error_colour == "rgb(242, 184, 181)"  # --danger in the dark scheme


def test_typeset_handles_a_subtree_added_later(page, member):
    page.goto("/users/ada/")
    expect(page.locator(".profile__bio .katex")).to_have_count(2)

    page.evaluate(
        """() => {
            const preview = document.createElement("div");
            preview.className = "preview";
            preview.innerHTML = '<p><span class="arithmatex">\\\\(a^2 + b^2\\\\)</span></p>';
            document.querySelector("main").append(preview);
            window.ShortScience.typeset(preview);
            window.ShortScience.typeset(preview);
        }"""
    )

    expect(page.locator(".preview .katex")).to_have_count(1)
    expect(page.locator(".preview annotation")).to_have_text("a^2 + b^2")
    expect(page.locator(".profile__bio .katex")).to_have_count(2)
