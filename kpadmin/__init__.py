"""kpadmin: a back-office desktop app for Kakao Pay subscriptions through i'mport (PortOne V1)."""

__version__ = "0.1.0"
APP_NAME = "kpadmin"
APP_ORGANIZATION = "kpadmin"
