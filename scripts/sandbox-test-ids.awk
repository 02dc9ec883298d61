# Prints the test IDs (Module.Suite, Module.Outer/Suite or Module.Suite/test) of the suites and
# tests tagged .mariadb or .docker, one a line, for scripts/unit-tests.sh to skip.
# Input: the Swift test sources, each under Tests/<Module>/. A suite nested one level in a type or
# an extension (`extension RunHardening { @Suite struct X }`) gets the ID Module.RunHardening/X.
FNR == 1 { outer = ""; inner = ""; pending = 0; attr = "" }
/^[[:space:]]*@(Suite|Test)([^A-Za-z]|$)/ { pending = 1; attr = "" }
pending { attr = attr " " $0 }
{
    if (match($0, /(struct|class|enum|actor|extension)[[:space:]]+[A-Za-z_][A-Za-z0-9_]*/)) {
        decl = substr($0, RSTART, RLENGTH); sub(/^[a-z]+[[:space:]]+/, "", decl)
        nested = ($0 ~ /^[[:space:]]/)
        if (nested) inner = decl; else { outer = decl; inner = "" }
        if (pending && attr ~ /@Suite/) { emit(nested ? outer "/" decl : decl); pending = 0 }
    } else if (pending && match($0, /func[[:space:]]+[A-Za-z_][A-Za-z0-9_]*/)) {
        name = substr($0, RSTART, RLENGTH); sub(/^func[[:space:]]+/, "", name)
        emit((inner != "" ? outer "/" inner : outer) "/" name); pending = 0
    }
}
function emit(id,    module, parts, i) {
    if (attr ~ /\.tags\([^)]*\.(mariadb|docker)/) {
        split(FILENAME, parts, "/")
        for (i = 1; i < length(parts); i++) if (parts[i] == "Tests") { module = parts[i + 1]; break }
        print module "." id
    }
}
