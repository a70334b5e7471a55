from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from .services import record_signup_details


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        details = form.cleaned_data
        user.full_name = details["full_name"]
        user.job_title = details.get("job_title", "")
        user.organisation = details.get("organisation")
        user.member_type = details["member_type"]
        record_signup_details(user, email=user.email)
        if commit:
            user.save()
        return user

    def get_login_redirect_url(self, request):
        user = request.user
        if user.is_authenticated and not user.is_approved:
            return reverse("network:pending")
        return super().get_login_redirect_url(request)
