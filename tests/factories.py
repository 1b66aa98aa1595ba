"""One factory per model; every field a plain, unsurprising default."""

import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from accounts.models import User

PASSWORD = "correct horse battery staple"


class EmailAddressFactory(DjangoModelFactory):
    class Meta:
        model = EmailAddress

    user = factory.SubFactory("tests.factories.UserFactory", verified_email=None)
    email = factory.LazyAttribute(lambda address: address.user.email)
    verified = True
    primary = True


class UserFactory(DjangoModelFactory):
    """A member with a verified primary e-mail address (pass verified_email=None for none)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)
    verified_email = factory.RelatedFactory(
        EmailAddressFactory, factory_related_name="user", email=factory.SelfAttribute("..email")
    )
