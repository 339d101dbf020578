"""Shared form and serializer field types that clean text with smartmap.lib.text.clean_text.

SingleLineField is for names, addresses, emails and codes: no line breaks, no direction
controls. MultiLineField is for descriptions and notes. Both refuse NUL and control characters
with the cleaner's message, so every form and serializer says the same thing.
"""

from rest_framework import serializers

from smartmap.lib.text import TextError, clean_text


class SingleLineField(serializers.CharField):
    single_line = True

    def to_internal_value(self, data):
        if not isinstance(data, str | int | float) or isinstance(data, bool):
            self.fail("invalid")
        try:
            text = clean_text(data, single_line=self.single_line)
        except TextError as exc:
            raise serializers.ValidationError(str(exc)) from None
        return super().to_internal_value(text)


class MultiLineField(SingleLineField):
    single_line = False
