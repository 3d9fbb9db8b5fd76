def compact_search_index(site_dir):
    return (0, 0)
