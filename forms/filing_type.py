"""Step 1: verify the filing type (province, subject, certificate and the new domain)."""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, StopValidation

from forms.base import BaseForm, Identifier, InChinese, province_choices, rule_message, translated_choices
from icp import identifiers, rules


def certificate_choices_by_nature() -> dict:
    """Certificate types grouped under the nature that may file with them; each option names its nature, so
    static/app.js can offer only the chosen nature's types (without JavaScript the groups say which is which)."""
    choices: dict = {None: [("", gettext("Select a certificate type"))]}
    for code, nature in rules.NATURES.items():
        choices[gettext(nature.label)] = [
            (certificate, gettext(rules.CERTIFICATE_TYPES[certificate].label), {"data-nature": code})
            for certificate in nature.certificate_types]
    return choices


class FilingTypeForm(BaseForm):
    """The inputs MIIT's registry is searched with."""

    province = SelectField(_l("Province of the subject"), validators=[
        DataRequired(_l("Select the province where the subject is registered"))])
    nature = RadioField(_l("Subject nature"), validators=[DataRequired(_l("Select the subject's nature"))])
    certificate_type = SelectField(_l("Certificate type"), validators=[
        DataRequired(_l("Select the certificate type the subject is filed with"))])
    certificate_number = StringField(_l("Certificate number"), validators=[
        DataRequired(_l("Enter the certificate number exactly as filed with MIIT")), Length(max=40)])
    domain = StringField(_l("New domain"), validators=[
        DataRequired(_l("Enter the domain of the new website, like example.cn")), Length(max=253),
        Identifier(identifiers.domain)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.province.choices = [("", gettext("Select a province"))] + province_choices()
        self.nature.choices = translated_choices(rules.NATURES)
        self.certificate_type.choices = certificate_choices_by_nature()

    def validate_certificate_type(self, field):
        """Only the certificate types the chosen nature may file with."""
        nature = rules.NATURES.get(self.nature.data or "")
        if nature and field.data and field.data not in nature.certificate_types:
            allowed = ", ".join(gettext(rules.CERTIFICATE_TYPES[c].label) for c in nature.certificate_types)
            raise StopValidation(gettext("For this subject nature, select one of: %(allowed)s", allowed=allowed))

    def validate_certificate_number(self, field):
        """The number's format and check digit for the chosen certificate type."""
        if not self.certificate_type.data or self.certificate_type.data not in rules.CERTIFICATE_TYPES:
            return
        try:
            field.data = identifiers.certificate_number(self.certificate_type.data, field.data)
        except identifiers.ValidationError as error:
            raise StopValidation(gettext(error.message, **error.params)) from error


    def validate_domain(self, field):
        """The suffix must suit the subject's nature (rules.nature_domain_problem: .gov.cn for government bodies)."""
        nature = self.nature.data if self.nature.data in rules.NATURES else None
        if nature is None or not isinstance(field.data, identifiers.Domain):
            return
        problem = rules.nature_domain_problem(nature, field.data.tld)
        if problem is not None:
            raise StopValidation(rule_message(problem.message, problem.params))


class DomainListField(TextAreaField):
    """Several domains in one box, one per line; once checked its data is the list of domains, shown one per line."""

    def _value(self) -> str:
        if isinstance(self.data, (list, tuple)):
            return "\n".join(getattr(domain, "unicode", domain) for domain in self.data)
        return super()._value()


class AppTypeForm(FilingTypeForm):
    """Step 1 of an app order: the subject as for a website, then the app's name and the domains it calls."""

    domain = None  # an app is not one domain: it names the domains it calls below
    app_name = StringField(_l("App name"), validators=[
        DataRequired(_l("Enter the app's name, as shown under its icon once installed")), Length(max=50),
        InChinese()])
    domains = DomainListField(_l("Domains the app calls"), validators=[
        DataRequired(_l("Enter the domains the app uses to reach its servers, one per line"))])

    def validate_app_name(self, field):
        """The app name's refusals (DOMAIN.md §13, icp.apps): fixed for the order, so refused here, not later;
        its warnings are listed on the check page."""
        from icp import apps

        nature = self.nature.data if self.nature.data in rules.NATURES else "enterprise"
        for problem in apps.app_name_problems(field.data, province=self.province.data or None, nature=nature,
                                              subject_name=""):
            if problem.severity == rules.REFUSE:
                raise StopValidation(rule_message(problem.message, problem.params))

    def validate_domains(self, field):
        """Each a bare domain (MIIT's system refuses www. for an app), none twice, at most the rules' count."""
        from icp import apps

        try:
            field.data = apps.app_domains(field.data)
        except identifiers.ValidationError as error:
            raise StopValidation(rule_message(error.message, error.params)) from error
