rule exhunt_test_marker
{
    meta:
        description = "test marker string written by the exhunt tests"
        author = "exhunt tests"
    strings:
        $a = "EXHUNT-YARA-TEST-MARKER"
    condition:
        $a
}
