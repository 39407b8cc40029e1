"""The development backend: writes one line per message to the server's output."""

import itertools
import sys

from .base import BaseBackend

_ids = itertools.count(1)


class ConsoleBackend(BaseBackend):
    """Prints ``[SMS] 13812345678 您的登录验证码为…`` to standard output (as Django's console
    email backend does), so a developer running ``make run`` reads the code there."""

    def send(self, message):
        stream = sys.stdout
        stream.write(f"[SMS] {message.mobile} {message.text}\n")
        stream.flush()
        return f"console-{next(_ids)}"
