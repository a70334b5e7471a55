from django.shortcuts import redirect, render

from portal.permissions import approval_not_required


@approval_not_required
def pending(request):
    """Where a signed-in member waits for approval, or reads that they were refused."""
    if request.user.is_approved:
        return redirect("portal:member_home")
    return render(request, "network/pending.html", {"member": request.user})
