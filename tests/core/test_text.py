import unicodedata

from grants.core.text import clean_line, clean_multiline


def test_decomposed_swedish_letters_are_stored_composed(inputs):
    decomposed = inputs["text"]["swedish_decomposed"]
    assert unicodedata.is_normalized("NFD", decomposed) and decomposed != unicodedata.normalize(
        "NFC", decomposed
    )
    assert clean_line(decomposed) == inputs["text"]["swedish_composed"]


def test_nul_bytes_and_control_characters_are_removed(inputs):
    assert clean_line(inputs["text"]["nul_byte"]) == "Språkcafé"
    assert clean_multiline(inputs["text"]["control_chars"]) == "Rad ett\nRad två\tflik"


def test_invisible_characters_that_disguise_names_are_removed(inputs):
    assert clean_line(inputs["text"]["zero_width"]) == "Föreningen"
    assert "\u202e" not in clean_line(inputs["text"]["rtl_override"])


def test_emoji_and_joiners_survive(inputs):
    assert clean_line(inputs["text"]["emoji"]) == inputs["text"]["emoji"]
    assert clean_line("می\u200cخواهم") == "می\u200cخواهم"


def test_a_field_of_only_spaces_is_empty(inputs):
    assert clean_line(inputs["text"]["only_spaces"]) == ""


def test_pasted_tabs_and_line_breaks_become_single_spaces_in_one_line_fields():
    assert clean_line("Språk\tcafé\r\ni  Ålsäter") == "Språk café i Ålsäter"
