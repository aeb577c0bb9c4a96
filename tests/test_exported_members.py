import postguard


def test_public_names_are_pinned():
    assert postguard.__all__ == [
        "Checker",
        "Finding",
        "InputError",
        "ModelError",
        "ParsedPost",
        "Policy",
        "PolicyError",
        "Post",
        "PostMetadata",
        "PostguardError",
        "PublishedPost",
        "ReadError",
        "Report",
        "RuleError",
        "Score",
        "Severity",
        "TextTooLongError",
        "__version__",
        "check",
        "load_policy",
        "parse",
        "scan",
    ]
    assert postguard.__all__ == sorted(postguard.__all__)
    for name in postguard.__all__:
        assert hasattr(postguard, name), name

