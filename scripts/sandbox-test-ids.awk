# Prints the test IDs (Module.Suite or Module.Suite/test) of the suites and tests tagged
# .mariadb or .docker, one a line. Input: the Swift test sources, with FILENAME under Tests/<Module>/.
FNR == 1 { type = ""; pending = 0; attr = "" }
/^[[:space:]]*@(Suite|Test)([^A-Za-z]|$)/ { pending = 1; attr = "" }
pending { attr = attr " " $0 }
{
    if (match($0, /(struct|class|enum|actor|extension)[[:space:]]+[A-Za-z_][A-Za-z0-9_]*/)) {
        decl = substr($0, RSTART, RLENGTH); sub(/^[a-z]+[[:space:]]+/, "", decl)
        if ($0 !~ /^[[:space:]]/ || $0 ~ /^@Suite/) type = decl
        if (pending && attr ~ /@Suite/) { emit(decl); pending = 0 }
    } else if (pending && match($0, /func[[:space:]]+[A-Za-z_][A-Za-z0-9_]*/)) {
        name = substr($0, RSTART, RLENGTH); sub(/^func[[:space:]]+/, "", name)
        emit(type "/" name); pending = 0
    }
}
function emit(id,    module, parts) {
    if (attr ~ /\.tags\([^)]*\.(mariadb|docker)/) {
        split(FILENAME, parts, "/")
        for (i = 1; i < length(parts); i++) if (parts[i] == "Tests") { module = parts[i + 1]; break }
        print module "." id
    }
}
