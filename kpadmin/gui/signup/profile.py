"""A fresh, locked-down QtWebEngine profile for one sign-up (imports QtWebEngine: load lazily).

QtWebEngine's defaults are permissive (STYLE.md pitfall 8): the default profile is persistent, pages
may read local files, and nothing stops downloads. Each sign-up gets its own off-the-record profile
(nothing reaches the disk and nothing survives the dialog: no cookies or storage from a previous
customer's Kakao session), with the settings below.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject
from PySide6.QtWebEngineCore import (
    QWebEngineDownloadRequest,
    QWebEngineProfile,
    QWebEngineSettings,
)

log = logging.getLogger(__name__)

_A = QWebEngineSettings.WebAttribute

#: Attribute -> value for every page of a sign-up profile.
HARDENED_SETTINGS: dict[QWebEngineSettings.WebAttribute, bool] = {
    _A.JavascriptEnabled: True,  # iamport.js and the Kakao Pay layer need it
    # window.open reaches createWindow(), where popups are held to the same navigation policy.
    _A.JavascriptCanOpenWindows: True,
    _A.LocalContentCanAccessFileUrls: False,
    _A.LocalContentCanAccessRemoteUrls: False,
    _A.LocalStorageEnabled: True,  # in memory only (off-the-record)
    _A.AllowRunningInsecureContent: False,
    _A.AllowGeolocationOnInsecureOrigins: False,
    _A.JavascriptCanAccessClipboard: False,
    _A.JavascriptCanPaste: False,
    _A.PluginsEnabled: False,
    _A.PdfViewerEnabled: False,
    _A.ScreenCaptureEnabled: False,
    _A.WebRTCPublicInterfacesOnly: True,
    _A.NavigateOnDropEnabled: False,  # a file dropped on the view must not open it
    _A.AllowWindowActivationFromJavaScript: False,
    _A.FullScreenSupportEnabled: False,
    _A.XSSAuditingEnabled: True,
    _A.ErrorPageEnabled: True,
    _A.HyperlinkAuditingEnabled: False,
    _A.DnsPrefetchEnabled: False,
}


def harden(settings: QWebEngineSettings) -> None:
    for attribute, value in HARDENED_SETTINGS.items():
        settings.setAttribute(attribute, value)


def new_signup_profile(parent: QObject | None = None) -> QWebEngineProfile:
    """A new off-the-record profile (no storage name = off the record) with hardened settings."""
    profile = QWebEngineProfile(parent)
    assert profile.isOffTheRecord()
    profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
    profile.setPersistentCookiesPolicy(
        QWebEngineProfile.PersistentCookiesPolicy.NoPersistentCookies
    )
    profile.setSpellCheckEnabled(False)
    harden(profile.settings())
    profile.downloadRequested.connect(_refuse_download)
    return profile


def _refuse_download(download: QWebEngineDownloadRequest) -> None:
    log.warning("sign-up view: download refused (%s)", download.url().host())
    download.cancel()
