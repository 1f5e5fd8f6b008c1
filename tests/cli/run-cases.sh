echo "no cases yet"
