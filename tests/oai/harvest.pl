#!/usr/bin/perl
# Harvests a whole OAI-PMH repository with Debian's libhttp-oai-perl (HTTP::OAI), page by page
# through the resumption tokens, and prints what it got:
#   record <TAB> identifier <TAB> datestamp <TAB> live|deleted <TAB> titles joined by |
#   page <TAB> number <TAB> records on it
# Any error the library reports (HTTP, parse, OAI error) ends it with status 1.
# Usage: harvest.pl BASE_URL
use strict;
use warnings;
use HTTP::OAI;
use HTTP::OAI::Metadata::OAI_DC;

my $base = shift or die "usage: harvest.pl BASE_URL\n";
my $h = HTTP::OAI::Harvester->new(baseURL => $base, timeout => 10, resume => 0);
my $id = $h->Identify;
if ($id->is_error) { print "ERROR Identify: ", $id->message, "\n"; exit 1; }
print "repository\t", $id->repositoryName, "\n";
my %args = (metadataPrefix => 'oai_dc');
my $page = 0;
for (my $guard = 0; $guard < 1000; $guard++) {
    my $r = $h->ListRecords(%args, handlers => { metadata => 'HTTP::OAI::Metadata::OAI_DC' });
    if ($r->is_error) { print "ERROR ListRecords page ", $page + 1, ": ", $r->message, "\n"; exit 1; }
    $page++;
    my $n = 0;
    while (my $rec = $r->next) {
        $n++;
        my $header = $rec->header;
        my $titles = '';
        if (!$header->is_deleted && $rec->metadata) {
            $titles = join('|', @{ $rec->metadata->dc->{title} || [] });
        }
        print join("\t", 'record', $header->identifier, $header->datestamp, ($header->is_deleted ? 'deleted' : 'live'), $titles), "\n";
    }
    print "page\t$page\t$n\n";
    my $token = $r->resumptionToken;
    last unless $token && defined $token->resumptionToken && $token->resumptionToken ne '';
    %args = (resumptionToken => $token->resumptionToken);
}
exit 0;
