from django.contrib.auth import views as auth_views
from django.urls import path

from .views import account, passkeys, signup, tokens, users
from .views.login import LoginCodeView, LoginView

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("login/code/", LoginCodeView.as_view(), name="login-code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", signup.sign_up, name="signup"),
    path("signup/<str:token>/", signup.sign_up_invited, name="signup-invited"),
    path("profile/", account.profile, name="profile"),
    path("password/", account.change_password, name="password-change"),
    path("two-factor/", account.two_factor, name="two-factor"),
    path("passkeys/", passkeys.passkey_list, name="passkeys"),
    path("tokens/", tokens.api_tokens, name="api-tokens"),
    path("users/", users.user_list, name="users"),
    path("users/new/", users.user_create, name="user-create"),
    path("users/<int:pk>/", users.user_edit, name="user-edit"),
    path("users/<int:pk>/libraries/", users.user_libraries, name="user-libraries"),
    path("users/<int:pk>/reset-password/", users.user_reset_password, name="user-reset-password"),
    path("signups/", signup.signups, name="signups"),
]
