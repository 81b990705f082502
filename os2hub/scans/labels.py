"""What each scanner check is called and looks for, in the interface's language. The scanner's own messages
(English, as on the command line) say what it found; these say what was asked."""

from django.utils.translation import gettext_lazy as _

CHECKS = {
    "license": (_("Licence"), _("An open-source licence approved by the OSI, by SPDX id.")),
    "readme": (_("README"), _("A README at the top of the repository.")),
    "purpose-described": (_("Purpose described"), _("The README describes the purpose and value (formål).")),
    "security-policy": (_("Security policy"), _("A SECURITY file that says how to report vulnerabilities.")),
    "security-docs": (_("Security documentation"), _("Documentation of the solution's security (sikkerhed).")),
    "container": (_("Container"), _("Delivery as a container: a Dockerfile or a compose file.")),
    "install-script": (_("Installation"), _("A way to install and run it: scripts, Makefile, compose, Helm.")),
    "ci": (_("Continuous integration"), _("Builds and tests run automatically (CI configuration).")),
    "tests": (_("Automated tests"), _("Automated tests in the repository.")),
    "changelog": (_("Change log"), _("A change log (CHANGELOG, ændringslog) or release notes.")),
    "contributing": (_("Contribution guide"), _("A guide for people who want to contribute.")),
    "code-of-conduct": (_("Code of conduct"), _("A code of conduct for the community.")),
    "code-standards": (_("Coding standards"), _("Configured linters, formatters or documented coding standards.")),
    "operations-docs": (_("Operations documentation"), _("How to run and maintain it (drift).")),
    "technical-docs": (_("Technical documentation"), _("Architecture and developer documentation.")),
    "implementation-docs": (_("Implementation guide"), _("How to implement it in an organisation.")),
    "user-docs": (_("User documentation"), _("A user guide or manual (brugervejledning).")),
    "presentation-material": (_("Presentation material"), _("Presentations or material describing the solution.")),
    "issue-tracking": (_("Public issue tracking"), _("Issue templates, and commits that refer to issues.")),
    "active-development": (_("Active development"), _("Commits in the last year in the public repository.")),
    "publiccode-yml": (_("publiccode.yml"), _("A publiccode.yml that follows the standard.")),
    "reuse": (_("REUSE"), _("Every file has licence and copyright information (REUSE).")),
    "secrets": (_("No secrets"), _("No private keys or access tokens in the files.")),
    "binaries": (_("No binaries"), _("No compiled programs or archives instead of source code.")),
    "vendor-concentration": (_("Several contributors"), _("Not nearly all commits from one organisation.")),
}


def label(check_id: str) -> str:
    return str(CHECKS[check_id][0]) if check_id in CHECKS else check_id


def description(check_id: str) -> str:
    return str(CHECKS[check_id][1]) if check_id in CHECKS else ""
